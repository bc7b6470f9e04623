import * as vscode from 'vscode';

interface PickItem<T extends string> extends vscode.QuickPickItem {
  value: T;
}

/** A quick pick whose active item is the remembered choice, so Enter accepts it. */
export function pickOne<T extends string>(
  title: string,
  options: { value: T; label: string; detail?: string }[],
  active: T,
  defaultValue?: T,
  activeNote: string = vscode.l10n.t('last used'),
): Promise<T | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<PickItem<T>>();
    pick.title = title;
    pick.ignoreFocusOut = true;
    pick.items = options.map((o) => ({
      value: o.value,
      label: o.label,
      detail: o.detail,
      description: [o.value === defaultValue ? vscode.l10n.t('default') : '', o.value === active && active !== defaultValue ? activeNote : '']
        .filter(Boolean)
        .join(' · '),
    }));
    pick.activeItems = pick.items.filter((i) => i.value === active);
    let done = false;
    pick.onDidAccept(() => {
      done = true;
      resolve(pick.selectedItems[0]?.value ?? pick.activeItems[0]?.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
