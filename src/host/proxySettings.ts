import * as vscode from 'vscode';
import type { ProxyConfig } from '../core/api/proxy';

/**
 * VS Code's proxy settings, which the undici package does not get by itself (platform-notes.md).
 * Only the user's own values count, like omniVideo.baseUrl: a workspace must not reroute the key.
 */
export function readProxyConfig(): ProxyConfig {
  const http = vscode.workspace.getConfiguration('http');
  const user = <T>(key: string): T | undefined => {
    const inspected = http.inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  };
  return {
    proxy: user<string>('proxy') || undefined,
    strictSSL: user<boolean>('proxyStrictSSL') ?? true,
    noProxy: user<string[]>('noProxy') ?? [],
    proxyAuthorization: user<string>('proxyAuthorization') || undefined,
  };
}
