/** One visitor waiting for a person, as `GET /v1/handoffs` lists it and `handoff.requested` announces it. */
export interface HandoffRequest {
  conversationId: string;
  personaId: string;
  reason: string;
  at: string;
}

/**
 * The queue with `request` in it: one row per conversation (a repeated request keeps its first
 * time, so the visitor keeps their place), longest waiting first.
 */
export function withHandoff(queue: HandoffRequest[], request: HandoffRequest): HandoffRequest[] {
  const known = queue.find((r) => r.conversationId === request.conversationId);
  const merged = known
    ? queue.map((r) => (r === known ? { ...request, at: earlier(known.at, request.at) } : r))
    : [...queue, request];
  return merged.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * The queue after a fresh list from the API, with the live requests that arrived while the list
 * was being fetched (the list may have been read before they were stored).
 */
export function mergeHandoffs(listed: HandoffRequest[], arrivedMeanwhile: HandoffRequest[]): HandoffRequest[] {
  return [...listed, ...arrivedMeanwhile].reduce<HandoffRequest[]>((queue, r) => withHandoff(queue, r), []);
}

const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);
