import { describe, expect, it } from 'vitest';
import { createDesk, eventually } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

const conversationWith = (from: string) =>
  eventually(async () => {
    const list = await h.request('GET', '/v1/conversations', { key: desk.adminKey });
    return list.body.conversations.find((c: any) => c.customerAddress === from);
  }, `the conversation with ${from}`);

describe('brand switches (F15)', () => {
  it('records messages while a brand is off, replies once that it is unavailable, and routes again once on', async () => {
    await h.request('PUT', '/v1/whatsapp/settings', {
      key: desk.adminKey,
      body: { unavailableReply: 'Acme Shoes is closed for stocktaking.' },
    });
    const off = await h.request('PATCH', `/v1/whatsapp/numbers/${desk.number.id}/brands/${desk.brandId}`, {
      key: desk.adminKey,
      body: { enabled: false },
    });
    expect(off.body.brands).toEqual([{ brandId: desk.brandId, name: 'Acme Shoes', enabled: false }]);

    const from = '+15559000001';
    await h.emulator.playInbound({ from, to: desk.number.e164, body: 'Are you open?' });
    await h.emulator.playInbound({ from, to: desk.number.e164, body: 'Hello??' });
    const conv = await conversationWith(from);
    await eventually(() => h.emulator.sentMessages().some((m) => m.to === `whatsapp:${from}`), 'the unavailable reply');
    const detail = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.adminKey });
    expect(detail.body.conversation).toMatchObject({ status: 'waiting', operatorId: null });
    expect(detail.body.messages.filter((m: any) => m.direction === 'inbound').map((m: any) => m.body)).toEqual([
      'Are you open?',
      'Hello??',
    ]);
    expect(
      h.emulator
        .sentMessages()
        .filter((m) => m.to === `whatsapp:${from}`)
        .map((m) => m.body),
    ).toEqual(['Acme Shoes is closed for stocktaking.']);

    await h.request('PATCH', `/v1/whatsapp/numbers/${desk.number.id}/brands/${desk.brandId}`, {
      key: desk.adminKey,
      body: { enabled: true },
    });
    await eventually(async () => {
      const d = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.adminKey });
      return d.body.conversation.status === 'open' && d.body.conversation.operatorId === desk.operatorId;
    }, 'routing to resume');
    const listed = await h.request('GET', '/v1/whatsapp/numbers', { key: desk.adminKey });
    expect(listed.body.numbers[0].brands).toEqual([{ brandId: desk.brandId, name: 'Acme Shoes', enabled: true }]);
  });

  it("refuses switching a brand the number does not carry, or another organisation's number", async () => {
    const other = await createDesk(h, { points: 0 });
    const foreignBrand = await h.request('PATCH', `/v1/whatsapp/numbers/${desk.number.id}/brands/${other.brandId}`, {
      key: desk.adminKey,
      body: { enabled: false },
    });
    expect([foreignBrand.status, foreignBrand.body.error.code]).toEqual([404, 'brand_not_on_number']);
    const foreignNumber = await h.request('PATCH', `/v1/whatsapp/numbers/${other.number.id}/brands/${other.brandId}`, {
      key: desk.adminKey,
      body: { enabled: false },
    });
    expect(foreignNumber.status).toBe(404);
    const notBoolean = await h.request('PATCH', `/v1/whatsapp/numbers/${desk.number.id}/brands/${desk.brandId}`, {
      key: desk.adminKey,
      body: { enabled: 'no' },
    });
    expect(notBoolean.status).toBe(400);
  });
});

describe('association (F10)', () => {
  it('routes new conversations to the newly associated department', async () => {
    const dept = await h.request('POST', '/v1/departments', {
      key: desk.adminKey,
      body: { name: 'Returns', brandIds: [desk.brandId] },
    });
    const moved = await h.request('PUT', `/v1/whatsapp/numbers/${desk.number.id}/association`, {
      key: desk.adminKey,
      body: { brandId: desk.brandId, departmentId: dept.body.department.id },
    });
    expect(moved.status).toBe(200);
    const from = '+15559000002';
    await h.emulator.playInbound({ from, to: desk.number.e164, body: 'Return please' });
    expect((await conversationWith(from)).departmentId).toBe(dept.body.department.id);
  });

  it("refuses another organisation's brand (404) and a department that does not serve the brand (422)", async () => {
    const other = await createDesk(h, { points: 0 });
    const foreign = await h.request('PUT', `/v1/whatsapp/numbers/${desk.number.id}/association`, {
      key: desk.adminKey,
      body: { brandId: other.brandId, departmentId: desk.departmentId },
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'brand_not_found']);
    const brand = await h.request('POST', '/v1/brands', { key: desk.adminKey, body: { name: 'Acme Hats' } });
    const unlinked = await h.request('PUT', `/v1/whatsapp/numbers/${desk.number.id}/association`, {
      key: desk.adminKey,
      body: { brandId: brand.body.brand.id, departmentId: desk.departmentId },
    });
    expect([unlinked.status, unlinked.body.error.code]).toEqual([422, 'department_not_linked_to_brand']);
  });
});
