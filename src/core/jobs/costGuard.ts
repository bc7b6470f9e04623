/** The rules of the cost guard (docs/product.md, "Cost guard"), pure so they are tested in plain Node. */
import { l10n } from '../common/l10n';

/**
 * Whether an interactive action that bills `count` generations asks first: above `confirmAbove`, or
 * for every generation when it is 0. Scripted calls never ask (the options object is the consent).
 */
export function needsConfirmation(count: number, confirmAbove: number): boolean {
  if (count <= 0) return false;
  return confirmAbove <= 0 || count > confirmAbove;
}

/** `price × count` in the user's own currency (no symbol: we do not know it), or undefined without a price. */
export function estimatedCost(count: number, pricePerGeneration: number | undefined, language?: string): string | undefined {
  if (pricePerGeneration === undefined || !(pricePerGeneration > 0)) return undefined;
  const format = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return format.format(count * pricePerGeneration);
}

/** "3 billed generations (about 1.50)": the count, with the estimate when there is a price. */
export function billedGenerationsText(count: number, pricePerGeneration: number | undefined, language?: string): string {
  const cost = estimatedCost(count, pricePerGeneration, language);
  const generations = count === 1 ? l10n.t('1 billed generation') : l10n.t('{0} billed generations', count);
  return cost ? l10n.t('{0} (about {1})', generations, cost) : generations;
}
