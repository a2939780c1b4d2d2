/**
 * The Temporal header (and memo field, on a start) that carries the id of the HTTP request a workflow
 * call was made for: set by the API's client, passed on by the workflows to the activities they run
 * next, and logged by the worker (README, "Metrics and request ids").
 */
export const REQUEST_ID_HEADER = 'requestId';
