import { Router } from 'express';
import { z } from 'zod';
import type { EmulatedAccessRequest, EmulatorState } from './emulator-state';
import { jsonBody, newSid, twilioError } from './twilio-wire';

const submission = z.object({
  reference: z.string().min(1),
  businessManagerId: z.string().optional(),
  businessName: z.string().optional(),
  website: z.string().optional(),
  contactEmail: z.string().optional(),
  contactPhone: z.string().optional(),
});

const INVALID = 20001;

const requestJson = (a: EmulatedAccessRequest) => ({
  sid: a.sid,
  reference: a.reference,
  status: a.status,
  reminders: a.reminders,
  date_created: a.dateCreated.toISOString(),
});

/**
 * The provider's onboarding desk: not a Twilio API but people behind a form, to whom we submit
 * Business Manager access requests and send reminders. Errors use Twilio's body all the same.
 */
export function deskRouter(state: EmulatorState): Router {
  const r = Router();
  const path = '/onboarding/v1/AccessRequests';

  r.post(path, jsonBody(INVALID), (req, res) => {
    const parsed = submission.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return twilioError(res, 400, INVALID, `Invalid ${issue.path.join('.') || 'request body'}: ${issue.message}`);
    }
    // A retried submission must not open a second request at the desk.
    const existing = [...state.accessRequests.values()].find((a) => a.reference === parsed.data.reference);
    if (existing) return void res.status(200).json(requestJson(existing));
    const request: EmulatedAccessRequest = {
      sid: newSid('AR'),
      ...parsed.data,
      status: 'pending_review',
      reminders: 0,
      dateCreated: new Date(),
    };
    state.accessRequests.set(request.sid, request);
    res.status(201).json(requestJson(request));
  });

  r.post(`${path}/:sid/Reminders`, (req, res) => {
    const request = state.accessRequests.get(req.params.sid);
    if (!request) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    request.reminders += 1;
    res.status(201).json(requestJson(request));
  });

  return r;
}
