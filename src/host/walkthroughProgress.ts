import * as vscode from 'vscode';
import { WALKTHROUGH_ID, WALKTHROUGH_STEP_COMMANDS, walkthroughContextKey as contextKey } from '../shared/ids';

/**
 * Ticks the Get Started walkthrough's steps as their commands run, however they run (docs/decisions.md,
 * "A walkthrough that ticks"). VS Code counts a step's `onCommand:` event only for a command sent
 * through the workbench while its walkthrough service exists (it is created when a walkthrough is first
 * shown), so a command run before that, or by a script, is missed. Each step is therefore marked done
 * with the workbench's own `welcome.markStepComplete` once one of its commands ran; that creates the
 * service if need be and keeps the tick in the walkthrough's own storage. The step's `onContext:` event
 * on `omniVideo.walkthrough.<step>` stays as a second route (it ticks while the service exists).
 */
const DONE_KEY = 'omniVideo.walkthroughStepsDone';

export class WalkthroughProgress {
  constructor(
    private readonly globalState: vscode.Memento,
    private readonly extensionId: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    for (const step of this.done()) void vscode.commands.executeCommand('setContext', contextKey(step), true);
  }

  /** A command ran: the step it belongs to is done. */
  ran(command: string): void {
    const step = Object.keys(WALKTHROUGH_STEP_COMMANDS).find((s) => WALKTHROUGH_STEP_COMMANDS[s].includes(command));
    if (!step || this.done().includes(step)) return;
    void this.globalState.update(DONE_KEY, [...this.done(), step]);
    void vscode.commands.executeCommand('setContext', contextKey(step), true);
    vscode.commands.executeCommand('welcome.markStepComplete', `${this.extensionId}#${WALKTHROUGH_ID}#${step}`).then(undefined, (error: unknown) => {
      // Only the context key then; the step still ticks while the walkthrough is showing.
      this.log.debug(`walkthrough: could not mark the step "${step}" done: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private done(): string[] {
    const value = this.globalState.get<unknown>(DONE_KEY);
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  }
}
