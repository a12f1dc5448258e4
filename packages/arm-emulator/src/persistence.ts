/** `--state FILE`: the emulator's state and token signing key, restored at start and saved (owner-only, atomically) after every change. */
import { readPrivateFile, replacePrivateFile } from './files.js';
import { EmulatorState, type SerializedState } from './state.js';
import { newSigningKey, type SigningKey } from './identity/tokens.js';
import { loadScenario, type Scenario } from './scenario.js';

interface PersistedFile {
  state: SerializedState;
  signingKey: SigningKey;
}

/** The state the emulator starts with: the saved file when there is one, else the scenario. */
export async function initialState(stateFile: string | undefined, scenario: string | Scenario, givenKey?: SigningKey): Promise<{ state: EmulatorState; signingKey: SigningKey }> {
  const text = stateFile ? readPrivateFile(stateFile, '--state') : undefined;
  if (text) {
    const persisted = JSON.parse(text) as PersistedFile;
    return { state: EmulatorState.deserialize(persisted.state), signingKey: persisted.signingKey };
  }
  return { state: loadScenario(scenario), signingKey: givenKey ?? (await newSigningKey()) };
}

/** A function that saves the state to the file, or does nothing without one. */
export function stateSaver(stateFile: string | undefined, state: () => EmulatorState, signingKey: SigningKey): () => void {
  return () => {
    if (!stateFile) return;
    const file: PersistedFile = { state: state().serialize(), signingKey };
    replacePrivateFile(stateFile, JSON.stringify(file), '--state');
  };
}
