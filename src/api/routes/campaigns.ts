import { Type } from 'typebox';
import {
  abortCampaign,
  CampaignError,
  createCampaign,
  pauseCampaign,
  resumeCampaign,
  startCampaign,
} from '../../acs/campaigns/index.ts';
import type { CampaignDeviceState, CampaignRecord, CampaignState } from '../../store/campaigns.ts';
import type { Store } from '../../store/store.ts';
import { type App, principalOf, type RouteDeps } from '../app.ts';
import { actorOf } from '../auth.ts';
import { parseFilter } from '../device-query.ts';
import { ApiError } from '../errors.ts';
import {
  CampaignBody,
  CampaignDeviceStateName,
  CampaignDeviceView,
  CampaignParams,
  CampaignProgressView,
  CampaignStateName,
  CampaignView,
} from '../schemas/campaigns.ts';
import { bodyErrors, errors, Limit, Offset } from '../schemas/common.ts';

const TAGS = ['campaigns'];

function fromCampaignError(e: unknown): unknown {
  if (!(e instanceof CampaignError)) return e;
  return new ApiError(e.code, e.message, e.field);
}

/** The campaign's progress: counts per state, per stage, and the stage under way. */
async function progressOf(store: Store, id: number) {
  const progress = await store.campaigns.progress(id);
  const [first] = await store.campaigns.devices(id, {
    states: ['pending', 'in-progress'],
    limit: 1,
  });
  return { ...progress, currentStage: first?.stage ?? null };
}

/**
 * Firmware campaigns (issue #5 §5, security.md item 12): an operator creates one (a draft), an admin other than
 * its creator approves it (four eyes), an operator starts, pauses, resumes or aborts it; its progress and each
 * device's outcome are readable by all. The runner (src/acs/campaigns/runner.ts) does the rest.
 */
export function campaignRoutes(
  app: App,
  { store, log, clock, connectionRequest }: RouteDeps,
): void {
  app.post(
    '/api/v1/campaigns',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Create a firmware campaign (a draft, to be approved by another admin)',
        body: CampaignBody,
        response: { 201: Type.Object({ campaign: CampaignView }), ...bodyErrors() },
      },
    },
    async (request, reply) => {
      const { name, ...definition } = request.body;
      try {
        // The device list's own condition checks, so a wrong condition is a 400 naming it.
        parseFilter(JSON.stringify(definition.devices.filter));
      } catch (e) {
        if (e instanceof ApiError) {
          throw new ApiError(e.code, `devices.${e.message}`, e.field && `devices.${e.field}`);
        }
        throw e;
      }
      const by = actorOf(principalOf(request));
      const campaign = await createCampaign(store, { name, definition, createdBy: by }).catch(
        (e: unknown) => {
          throw fromCampaignError(e);
        },
      );
      log('campaign-created', { campaignId: campaign.id, by });
      reply.code(201).header('location', `/api/v1/campaigns/${campaign.id}`);
      return { campaign };
    },
  );

  app.get(
    '/api/v1/campaigns',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'Campaigns, newest first',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Array(CampaignStateName, { maxItems: 7 })),
            limit: Type.Optional(Limit),
            offset: Type.Optional(Offset),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ campaigns: Type.Array(CampaignView) }), ...errors() },
      },
    },
    async (request) => {
      const q = request.query;
      const campaigns = await store.campaigns.list({
        ...(q.state !== undefined ? { states: q.state as CampaignState[] } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { campaigns };
    },
  );

  app.get(
    '/api/v1/campaigns/:campaignId',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'One campaign: definition, state and progress',
        params: CampaignParams,
        response: {
          200: Type.Object({ campaign: CampaignView, progress: CampaignProgressView }),
          ...errors(404),
        },
      },
    },
    async (request) => {
      const campaign = await required(request.params.campaignId);
      return { campaign, progress: await progressOf(store, campaign.id) };
    },
  );

  app.get(
    '/api/v1/campaigns/:campaignId/devices',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'Each device’s outcome, in campaign order',
        params: CampaignParams,
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Array(CampaignDeviceStateName, { maxItems: 6 })),
            stage: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            limit: Type.Optional(Limit),
            offset: Type.Optional(Offset),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ devices: Type.Array(CampaignDeviceView) }),
          ...errors(404),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const campaign = await required(request.params.campaignId);
      const devices = await store.campaigns.devices(campaign.id, {
        ...(q.state !== undefined ? { states: q.state as CampaignDeviceState[] } : {}),
        ...(q.stage !== undefined ? { stage: q.stage } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { devices };
    },
  );

  app.post(
    '/api/v1/campaigns/:campaignId/approve',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Approve a draft: an admin other than its creator (four eyes; 403 otherwise)',
        params: CampaignParams,
        response: { 200: Type.Object({ campaign: CampaignView }), ...errors(404, 409) },
      },
    },
    async (request) => {
      const by = actorOf(principalOf(request));
      const campaign = await required(request.params.campaignId);
      if (campaign.createdBy === by) {
        log('campaign-approval-refused', { campaignId: campaign.id, by });
        throw new ApiError(
          'forbidden',
          'a campaign must be approved by someone other than its creator',
        );
      }
      const approved = await store.campaigns.approve(campaign.id, by);
      log('campaign-approved', { campaignId: campaign.id, by });
      return { campaign: approved };
    },
  );

  const actions = {
    start: {
      summary: 'Start an approved campaign: its device set is resolved now',
      run: (id: number) => startCampaign(store, id),
    },
    pause: {
      summary: 'Pause: no new devices; those under way finish and are counted',
      run: (id: number) => pauseCampaign(store, id),
    },
    resume: { summary: 'Resume a paused campaign', run: (id: number) => resumeCampaign(store, id) },
    abort: {
      summary:
        'Abort: no new devices; tasks not yet sent are withdrawn and their devices cancelled; a ScheduleDownload a device holds is cancelled on it (CancelTransfer); those under way finish',
      // The API's connection-request sender, so a device holding a ScheduleDownload hears of it now.
      run: (id: number, by: string) =>
        abortCampaign(store, id, by, clock, { connectionRequest, log }),
    },
  } as const;

  for (const [action, { summary, run }] of Object.entries(actions)) {
    app.post(
      `/api/v1/campaigns/:campaignId/${action}`,
      {
        config: { role: 'operator' },
        schema: {
          tags: TAGS,
          summary: `${summary} (409 when its state does not allow it)`,
          params: CampaignParams,
          response: { 200: Type.Object({ campaign: CampaignView }), ...errors(404, 409) },
        },
      },
      async (request) => {
        const by = actorOf(principalOf(request));
        const id = (await required(request.params.campaignId)).id;
        const campaign = await run(id, by).catch((e: unknown) => {
          throw fromCampaignError(e);
        });
        log(`campaign-${action}`, { campaignId: id, by, state: campaign.state });
        return { campaign };
      },
    );
  }

  async function required(id: number): Promise<CampaignRecord> {
    const campaign = await store.campaigns.get(id);
    if (campaign === null) throw new ApiError('not-found', 'no such campaign', 'campaignId');
    return campaign;
  }
}
