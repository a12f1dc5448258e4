/** Which targets each command works on: one table for running a command and for spelling its fix line. */
/** 'create-network': a missing VNet or subnet may be created (change commands that place endpoints) */
export type Need = 'account' | 'storage' | 'network' | 'create-network';

export type CommandName = 'setup' | 'identity' | 'storage-lockdown' | 'grant' | 'private-endpoint' | 'validate' | 'undo' | 'runs' | 'export';

export const COMMAND_NEEDS: Record<CommandName, Need[]> = {
  setup: ['account', 'storage', 'network', 'create-network'],
  identity: ['account'],
  'storage-lockdown': ['storage'],
  grant: ['account', 'storage'],
  'private-endpoint': ['account', 'storage', 'network', 'create-network'],
  validate: ['account', 'storage', 'network'],
  // undo takes its resources from the run's journal, runs reads only the journals
  undo: [],
  runs: [],
  export: ['account', 'storage', 'network'],
};

/** storage-lockdown with a resource-instance rule also needs the account (the rule names it). */
export function needsOf(command: CommandName, accessRule?: string): Need[] {
  if (command === 'storage-lockdown' && accessRule === 'resource-instance') return ['storage', 'account'];
  return COMMAND_NEEDS[command];
}
