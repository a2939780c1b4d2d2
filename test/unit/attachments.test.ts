import { describe, expect, it } from 'vitest';
import { isAllowedAttachmentUrl } from '../../src/domain/attachments';

describe('attachment types (F17)', () => {
  it.each(['a.png', 'b.JPG', 'c.jpeg', 'd.mp3', 'e.mp4', 'f.pdf'])('accepts %s', (file) => {
    expect(isAllowedAttachmentUrl(`https://cdn.test/${file}?sig=1`)).toBe(true);
  });

  it.each(['voice.ogg', 'sticker.webp', 'doc.docx', 'noextension', 'pdf'])('refuses %s', (file) => {
    expect(isAllowedAttachmentUrl(`https://cdn.test/${file}`)).toBe(false);
  });
});
