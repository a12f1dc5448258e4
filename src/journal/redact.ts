/**
 * What a journal must never hold: account keys, connection strings, SAS tokens, passwords, client
 * secrets, bearer tokens. ARM's GET bodies of the resources we write carry none of these, but a
 * field of such a name is stripped, and a value of such a shape replaced, before anything is written.
 */
const SECRET_FIELDS = new Set(
  ['key1', 'key2', 'keys', 'primaryKey', 'secondaryKey', 'accountKey', 'accessKey', 'sharedKey', 'connectionString', 'primaryConnectionString', 'secondaryConnectionString', 'sasToken', 'sasUrl', 'password', 'adminPassword', 'secret', 'clientSecret', 'token', 'accessToken', 'refreshToken', 'authorization'].map((k) => k.toLowerCase()),
);

/** Values that are secrets whatever their field is called. */
const SECRET_VALUES: RegExp[] = [
  /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}/, // a JWT
  /\bBearer\s+\S{10,}/i,
  /AccountKey=|SharedAccessKey=|SharedAccessSignature=/i,
  /[?&]sig=[^&\s]{10,}/, // a SAS signature
];

export const REDACTED = '[redacted]';

/** Also `keyCreationTime: { key1: "2026-…" }`, which holds only when the keys were made: a key's field is never kept. */
function secretField(k: string, v: unknown): boolean {
  return SECRET_FIELDS.has(k.toLowerCase()) && v !== null && v !== undefined;
}

export function redact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redact) as T;
  if (typeof value === 'string') return (SECRET_VALUES.some((re) => re.test(value)) ? REDACTED : value) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => !secretField(k, v)).map(([k, v]) => [k, redact(v)])) as T;
  }
  return value;
}
