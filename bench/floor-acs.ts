import { informResponse, ScriptedAcs } from '../src/cpe/testing/scripted-acs.ts';

/**
 * The floor the ACS benchmarks measure against: a minimal loopback CWMP responder that answers every Inform with
 * an InformResponse and the empty POST with 204, and keeps nothing. It is the responder `npm run bench:sim`'s
 * idle fleet informs against (src/cpe/testing/idle-fleet.ts), built from the same two pieces rather than copied.
 */
export async function startFloorAcs(): Promise<{ url: string; close(): Promise<void> }> {
  const acs = await new ScriptedAcs((r) => (r.body === '' ? { status: 204 } : informResponse()), {
    record: false,
  }).start();
  return { url: acs.url, close: () => acs.close() };
}
