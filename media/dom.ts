// DOM helpers shared by the webviews (bundled into each).

/** An element with text content (always text, never HTML) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; id?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.id) node.id = props.id;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

/** The webview's channel to the extension: messages of type `ToHost`, and the state VS Code keeps. */
export interface VsCodeApi<ToHost, State> {
  postMessage(message: ToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi(): unknown;

/** `acquireVsCodeApi()`, typed; call it once per page. */
export function vsCodeApi<ToHost, State>(): VsCodeApi<ToHost, State> {
  return acquireVsCodeApi() as VsCodeApi<ToHost, State>;
}
