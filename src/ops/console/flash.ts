import { createHmac, timingSafeEqual } from 'node:crypto';

export type FlashCategory = 'success' | 'danger' | 'warning' | 'info';

export interface FlashMessage {
  category: FlashCategory;
  message: string;
  /** Optional link shown with the message (the task a form queued). */
  href?: string;
}

export const FLASH_COOKIE = 'gwc_flash';

/**
 * One-shot messages shown on the next page (the reference's Flask `flash`), carried in a
 * signed cookie so that they survive the redirect after a POST without server-side state.
 */
export class FlashCodec {
  constructor(private readonly secret: string) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(`flash\n${payload}`).digest();
  }

  encode(messages: FlashMessage[]): string {
    const payload = Buffer.from(JSON.stringify(messages.slice(-8))).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  decode(value: string | undefined): FlashMessage[] {
    if (!value) return [];
    const [payload, sig] = value.split('.');
    if (!payload || !sig) return [];
    const given = Buffer.from(sig, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return [];
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString()) as FlashMessage[];
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
}
