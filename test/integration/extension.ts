// The extension under test, as each suite starts it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { simulator } from './simulatorControl';

/** Activates Omni Video, gives it the simulator's key (Set API Key as a script runs it) and resolves to its exported API. */
export async function activateWithSimulatorKey(): Promise<OmniVideoApi> {
  const api = await vscode.extensions.getExtension<OmniVideoApi>('omni-video.omni-video')!.activate();
  assert.equal(await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token), true);
  return api;
}
