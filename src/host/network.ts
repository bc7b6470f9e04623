import * as vscode from 'vscode';
import { OmniVideoClient } from '../core/api/apiClient';
import { DispatcherCache, type ProxyConfig } from '../core/api/proxy';
import type { Logger } from '../core/common/logger';
import { cachedSetting, readSettings, userValue } from './settings';

/**
 * VS Code's proxy settings, which the undici package does not get by itself (docs/decisions.md, "Proxies").
 * Only the user's own values count, like omniVideo.baseUrl: a workspace must not reroute the key.
 */
export function readProxyConfig(): ProxyConfig {
  return cachedSetting('http', () => {
    const http = vscode.workspace.getConfiguration('http');
    const user = <T>(key: string) => userValue<T>(http, key);
    return {
      proxy: user<string>('proxy') || undefined,
      strictSSL: user<boolean>('proxyStrictSSL') ?? true,
      noProxy: user<string[]>('noProxy') ?? [],
      proxyAuthorization: user<string>('proxyAuthorization') || undefined,
    };
  });
}

/** The API client for the current settings, key and proxy: made for each use, so a change applies at once. */
export function apiClientFactory(keys: { get(): Promise<string | undefined> }, logger: Logger, version: string): { client: () => OmniVideoClient } & vscode.Disposable {
  const network = new DispatcherCache(readProxyConfig, process.env, (description) => logger.info(`Network: ${description}`));
  return {
    client: () => new OmniVideoClient({ baseUrl: readSettings().baseUrl, getToken: () => keys.get(), logger, dispatcher: network.get(), userAgent: `omni-video-vscode/${version}` }),
    dispose: () => void network.dispose(),
  };
}
