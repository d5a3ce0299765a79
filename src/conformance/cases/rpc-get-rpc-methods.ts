/** GetRPCMethods (TR-069 §A.3.1.1). */

import { REQUIRED_CPE_METHODS } from '../../cwmp/index.ts';
import type { CaseContext, ConformanceCase } from '../case.ts';

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
];
