/**
 * Text that came from a server (Azure's error messages) may carry terminal control sequences
 * (colour, cursor moves, window titles, bidirectional overrides); they are removed before the text
 * is printed or put in a plan. Tabs and line breaks stay.
 */
export function withoutControlCharacters(text: string): string {
  return text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}
