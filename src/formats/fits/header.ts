/** An ordered FITS header: the cards of one HDU, looked up by keyword. */
import {
  CARD_LENGTH,
  type Card,
  type CardValue,
  formatCard,
  isCommentaryKey,
  type ValueCard,
} from './card.js';

export const BLOCK_SIZE = 2880;

export interface SetOptions {
  comment?: string;
  /** Write a whole number as a real ("2.0"). */
  real?: boolean;
}

export class FitsHeader {
  readonly cards: Card[];

  constructor(cards: Card[] = []) {
    this.cards = cards;
  }

  private find(key: string): ValueCard | undefined {
    for (const card of this.cards) if (card.kind === 'value' && card.key === key) return card;
    return undefined;
  }

  has(key: string): boolean {
    return this.find(key) !== undefined;
  }

  /** The value of the first card with this keyword, or undefined when there is none. */
  get(key: string): CardValue | undefined {
    return this.find(key)?.value;
  }

  comment(key: string): string | undefined {
    return this.find(key)?.comment;
  }

  /** Sets a value, keeping the card's position when it exists, appending it otherwise. */
  set(key: string, value: CardValue, options: SetOptions = {}): this {
    if (isCommentaryKey(key)) throw new Error(`${key || 'a blank keyword'} is not a value card`);
    const existing = this.find(key);
    const card: ValueCard = {
      kind: 'value',
      key,
      value,
      comment: options.comment ?? existing?.comment ?? '',
      real: options.real ?? (typeof value === 'number' && !Number.isInteger(value)),
    };
    formatCard(card); // reject what cannot be written now, not at write time
    if (existing) this.cards[this.cards.indexOf(existing)] = card;
    else this.cards.push(card);
    return this;
  }

  delete(key: string): boolean {
    const i = this.cards.findIndex((c) => c.kind === 'value' && c.key === key);
    if (i < 0) return false;
    this.cards.splice(i, 1);
    return true;
  }

  addHistory(text: string): this {
    this.cards.push({ kind: 'commentary', key: 'HISTORY', text });
    return this;
  }

  addComment(text: string): this {
    this.cards.push({ kind: 'commentary', key: 'COMMENT', text });
    return this;
  }

  /** Text of every commentary card with this keyword, in order. */
  commentary(key: 'HISTORY' | 'COMMENT' | ''): string[] {
    return this.cards.flatMap((c) => (c.kind === 'commentary' && c.key === key ? [c.text] : []));
  }

  clone(): FitsHeader {
    return new FitsHeader(this.cards.map((c) => ({ ...c })));
  }

  /** The header as bytes: card images, END, space padding to a multiple of 2880. */
  encode(): Uint8Array {
    const text = `${this.cards.flatMap(formatCard).join('')}${'END'.padEnd(CARD_LENGTH)}`;
    const size = Math.ceil(text.length / BLOCK_SIZE) * BLOCK_SIZE;
    return Buffer.from(text.padEnd(size), 'latin1');
  }
}
