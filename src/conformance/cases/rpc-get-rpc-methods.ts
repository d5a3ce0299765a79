/** GetRPCMethods (TR-069 §A.3.1.1). */

import { REQUIRED_CPE_METHODS } from '../../cwmp/index.ts';
import type { CaseContext, ConformanceCase } from '../case.ts';

/** The methods the ACS may call on a CPE (TR-069 Annex A.3.2, A.4.1; cwmp-spec §2.1). */
const CPE_METHODS = new Set([
  ...REQUIRED_CPE_METHODS,
  'Upload',
  'FactoryReset',
  'GetQueuedTransfers',
  'GetAllQueuedTransfers',
  'ScheduleInform',
  'SetVouchers',
  'GetOptions',
  'ScheduleDownload',
  'CancelTransfer',
  'ChangeDUState',
]);

export const GET_RPC_METHODS_CASES: ConformanceCase[] = [
  {
    id: 'RPC-001',
    area: 'GetRPCMethods',
    title: 'GetRPCMethods lists every method TR-069 requires of a CPE',
    clause: 'TR-069 §A.3.1.1, Table 5',
    requires: { rpcs: ['GetRPCMethods'] },
    steps: ['Send GetRPCMethods', 'Expect MethodList to include every required CPE method'],
    async run(ctx: CaseContext) {
      const answer = await ctx.call({ method: 'GetRPCMethods' });
      const listed = answer.MethodList.map(String);
      const missing = REQUIRED_CPE_METHODS.filter((m) => !listed.includes(m));
      ctx.expect(missing.length === 0, `MethodList to include ${missing.join(', ')}`);
    },
  },
  {
    id: 'RPC-002',
    area: 'GetRPCMethods',
    title: 'GetRPCMethods lists CPE methods of TR-069 or vendor methods (X_…), each once',
    clause: 'TR-069 §A.3.1.1, Annex A.3.2 and A.4.1 (CPE methods), §A.3.1.1 (vendor methods X_)',
    requires: { rpcs: ['GetRPCMethods'] },
    steps: [
      'Send GetRPCMethods',
      'Expect every name a CPE method of TR-069 or X_<vendor>_…, none listed twice',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.call({ method: 'GetRPCMethods' });
      const listed = answer.MethodList.map(String);
      const unknown = listed.filter((m) => !CPE_METHODS.has(m) && !/^X_[0-9A-Za-z-]+_\S+$/.test(m));
      ctx.expect(unknown.length === 0, `only CPE methods, got ${unknown.join(', ')}`);
      const twice = listed.filter((m, i) => listed.indexOf(m) !== i);
      ctx.expect(twice.length === 0, `each method once, got ${twice.join(', ')} again`);
    },
  },
];
