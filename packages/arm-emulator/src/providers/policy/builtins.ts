/** The vendored built-in definitions (builtins/SOURCES.md), as `GET /providers/Microsoft.Authorization/policyDefinitions/{guid}` returns them. */
import d0 from './builtins/037eea7a-bd0a-46c5-9a66-03aea78705d3.json' with { type: 'json' };
import d1 from './builtins/34c877ad-507e-4c82-993e-3452a6e0ad3c.json' with { type: 'json' };
import d2 from './builtins/47ba1dd7-28d9-4b07-a8d5-9813bed64e0c.json' with { type: 'json' };
import d3 from './builtins/6edd7eda-6dd8-40f7-810d-67160c639cd9.json' with { type: 'json' };
import d4 from './builtins/75973700-529f-4de2-b794-fb9b6781b6b0.json' with { type: 'json' };
import d5 from './builtins/c4bc6f10-cb41-49eb-b000-d5ab82e2a091.json' with { type: 'json' };
import d6 from './builtins/c9d007d0-c057-4772-b18c-01e546713bcd.json' with { type: 'json' };
import d7 from './builtins/d6759c02-b87f-42b7-892e-71b3f471d782.json' with { type: 'json' };
import d8 from './builtins/db630ad5-52e9-4f4d-9c44-53912fe40053.json' with { type: 'json' };
import d9 from './builtins/fe3fd216-4f83-4fc1-8984-2bbec80a3418.json' with { type: 'json' };

type Definition = { id: string; name: string; properties: Record<string, any> };

const ALL: Definition[] = [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, ];

const BY_NAME = new Map(ALL.map((d) => [d.name.toLowerCase(), d]));

/** The built-in definition with this GUID, shaped as ARM returns it (with its `type`). */
export function builtInDefinition(name: string): Record<string, any> | undefined {
  const d = BY_NAME.get(name.toLowerCase());
  return d && { ...structuredClone(d), type: 'Microsoft.Authorization/policyDefinitions' };
}

export function builtInDefinitions(): Record<string, any>[] {
  return ALL.map((d) => builtInDefinition(d.name)!);
}
