import { budgetSubject } from '../../kernel/auth/rules';
import { notFound } from '../../kernel/errors';
import { DateTimeScalar } from '../../kernel/scalars';
import { trackAdEvent } from './ad-tracking';
import { createAd, updateAd } from './ad-editing';
import type { Resolvers } from './generated/resolvers-types';
import { checkServeRequest, serveAds } from './serving/serve-ads';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    adsForContext: async (_parent, args, context) => {
      const request = {
        eventId: args.eventId,
        placement: args.placement,
        sessionId: args.sessionId ?? null,
        limit: args.limit ?? 1,
        userId: context.identity?.userId ?? null,
      };
      await checkServeRequest(context.access, request);
      return serveAds(context.em, context.services.caps, request);
    },
  },
  Mutation: {
    createAd: (_parent, { input }, context) => createAd(context.em, context.access, input),
    updateAd: async (_parent, { id, input }, context) => {
      const ad = await context.loaders.adById.load(id);
      if (!ad) throw notFound('The ad');
      return updateAd(context.em, context.access, ad, input);
    },
    trackAdImpression: async (_parent, { adId, sessionId }, context) => {
      const ad = await context.loaders.adById.load(adId);
      if (!ad) throw notFound('The ad');
      if (!context.identity && !(await context.services.anonymousImpressions.firstInWindow(budgetSubject(context), ad.id))) return true;
      await trackAdEvent(context.em, context.access, ad, 'IMPRESSION', {
        userId: context.identity?.userId ?? null,
        sessionId: sessionId ?? null,
      });
      return true;
    },
    trackAdClick: async (_parent, { adId }, context) => {
      const ad = await context.loaders.adById.load(adId);
      if (!ad) throw notFound('The ad');
      await trackAdEvent(context.em, context.access, ad, 'CLICK', { userId: context.identity?.userId ?? null, sessionId: null });
      return true;
    },
  },
  Event: {
    __resolveReference: async (reference, context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
    ads: ({ id }, _args, context) => context.loaders.adsByEvent.load(id),
  },
  Ad: {
    __resolveReference: (reference, context) => context.loaders.adById.load(reference.id),
    performance: (ad, _args, context) => context.loaders.performanceByAd.load(ad.id),
  },
};
