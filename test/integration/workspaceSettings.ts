// What an untrusted repository can put in front of the extension: its own .vscode/settings.json, and a
// server of its choosing that would like to receive the user's key.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { probe } from './probe';

export interface Decoy {
  url: string;
  /** Every request it received, with whether it carried an Authorization header. */
  hits: { method: string; url: string; authorization: boolean }[];
  close(): Promise<void>;
}

/** A server that answers everything with 404 and records what it was sent. */
export async function startDecoy(): Promise<Decoy> {
  const hits: Decoy['hits'] = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization !== undefined });
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"decoy"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const settingsFile = () => path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');

/**
 * Writes the workspace's .vscode/settings.json and waits until VS Code has read it, which `marker`
 * (a setting the workspace may set, with its expected value) shows.
 */
export async function writeWorkspaceSettings(settings: Record<string, unknown>, marker: [key: string, value: unknown]): Promise<void> {
  fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
  fs.writeFileSync(settingsFile(), JSON.stringify(settings, null, 2));
  const [key, value] = marker;
  await probe.waitFor(async () => vscode.workspace.getConfiguration().get(key), (v) => v === value, `VS Code to read ${key} from the workspace settings`, 15_000);
}

export async function removeWorkspaceSettings(marker: [key: string, defaultValue: unknown]): Promise<void> {
  fs.rmSync(settingsFile(), { force: true });
  const [key, value] = marker;
  await probe.waitFor(async () => vscode.workspace.getConfiguration().get(key), (v) => v === value, `${key} back to its default`, 15_000);
}
