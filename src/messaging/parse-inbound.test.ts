import { describe, expect, it } from 'vitest';
import { stripHtml } from './parse-inbound.ts';

describe('the HTML fallback of a message body', () => {
  it('keeps the text, drops tags, scripts and styles', () => {
    expect(stripHtml('<p>Bonjour <b>Jean</b></p><script>alert(1)</script><style>p{}</style> à bientôt')).toBe(
      'Bonjour Jean à bientôt',
    );
    expect(stripHtml('avant <SCRIPT type="x">alert(1)</Script > après')).toBe('avant après');
    expect(stripHtml('texte <b non fermé')).toBe('texte');
  });

  // Security review regression: fails on 027241f, before the fix.
  it('runs in linear time on a body of unclosed tags', () => {
    const started = performance.now();
    expect(stripHtml('<'.repeat(60_000))).toBe('');
    expect(stripHtml('<script>'.repeat(20_000))).toBe('');
    expect(performance.now() - started).toBeLessThan(100);
  });
});
