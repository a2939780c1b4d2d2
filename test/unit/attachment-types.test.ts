import { describe, expect, it } from 'vitest';
import { classifyInbound, isAllowedAttachmentUrl, MAX_ATTACHMENT_BYTES } from '../../src/domain/attachments';

describe('attachment types (F17)', () => {
  it.each(['a.png', 'b.JPG', 'c.jpeg', 'd.mp3', 'e.mp4', 'f.pdf'])('accepts %s', (file) => {
    expect(isAllowedAttachmentUrl(`https://cdn.test/${file}?sig=1`)).toBe(true);
  });

  it.each(['voice.ogg', 'sticker.webp', 'doc.docx', 'noextension', 'pdf'])('refuses %s', (file) => {
    expect(isAllowedAttachmentUrl(`https://cdn.test/${file}`)).toBe(false);
  });
});

describe('inbound media types (F17)', () => {
  it.each(['image/png', 'image/jpeg', 'audio/mpeg', 'video/mp4', 'application/pdf'])('accepts %s', (contentType) => {
    expect(classifyInbound({ url: 'https://api.twilio.com/x', contentType })).toMatchObject({ allowed: true });
  });

  it.each([
    ['audio/ogg; codecs=opus', 'voice message'],
    ['image/webp', 'sticker'],
    ['application/msword', 'document'],
    ['video/3gpp', 'video'],
  ])('turns %s into a placeholder naming %s', (contentType, words) => {
    const result = classifyInbound({ url: 'https://api.twilio.com/x', contentType });
    expect(result.allowed).toBe(false);
    expect(result.placeholder).toContain(words);
  });

  it('limits images to 5 MB and other media to 16 MB', () => {
    expect(MAX_ATTACHMENT_BYTES('image/png')).toBe(5 * 1024 * 1024);
    expect(MAX_ATTACHMENT_BYTES('video/mp4')).toBe(16 * 1024 * 1024);
  });
});
