/**
 * GetOptions and SetVouchers (TR-069 §A.4.1.3, §A.4.1.4; optional methods): where the DUT lists them, its options
 * are well-formed and one can be asked for by name, and a voucher that is no signed voucher is refused with a fault;
 * where it does not, each is fault 9000 Method not supported and the session goes on (a crash or a dropped session
 * is a failure).
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode } from './helpers.ts';

const AREA = 'GetOptions and SetVouchers';

/** A base64 blob that is no voucher (TR-069 Annex C: a signed XML document). */
const NOT_A_VOUCHER = Buffer.from('corral: not a signed voucher').toString('base64');

export const OPTIONS_VOUCHERS_CASES: ConformanceCase[] = [
  {
    id: 'OPT-001',
    area: AREA,
    title: 'GetOptions of all options returns well-formed OptionStructs',
    clause: 'TR-069 §A.4.1.4 (GetOptions, OptionStruct)',
    requires: { rpcs: ['GetOptions'] },
    steps: [
      'Send GetOptions("") (every option)',
      'Expect a response; each option named once, Mode 0-2, IsTransferable 0 or 1',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.call({ method: 'GetOptions', OptionName: '' });
      const names = answer.OptionList.map((o) => o.OptionName);
      ctx.note(`options: ${names.join(', ') || '(none)'}`);
      ctx.expect(new Set(names).size === names.length, `each option once, got ${names.join(', ')}`);
      for (const o of answer.OptionList) {
        ctx.expect(o.OptionName !== '', 'every option named');
        ctx.expect([0, 1, 2].includes(Number(o.Mode)), `${o.OptionName}: Mode 0-2, got ${o.Mode}`);
        ctx.expect(
          [0, 1].includes(Number(o.IsTransferable)),
          `${o.OptionName}: IsTransferable 0 or 1, got ${o.IsTransferable}`,
        );
      }
    },
  },
  {
    id: 'OPT-002',
    area: AREA,
    title: 'GetOptions of one option’s name returns that option alone',
    clause: 'TR-069 §A.4.1.4 (OptionName: a single option, or all when empty)',
    requires: { rpcs: ['GetOptions'] },
    steps: [
      'Send GetOptions(""); take the first option’s name (skip when there is none)',
      'Send GetOptions(that name); expect exactly that option',
    ],
    async run(ctx: CaseContext) {
      const all = await ctx.call({ method: 'GetOptions', OptionName: '' });
      const first = all.OptionList[0]?.OptionName;
      if (first === undefined) return ctx.skip('the DUT has no options');
      const one = await ctx.call({ method: 'GetOptions', OptionName: first });
      const names = one.OptionList.map((o) => o.OptionName);
      ctx.expect(
        names.length === 1 && names[0] === first,
        `${first} alone, got ${names.join(', ') || 'none'}`,
      );
    },
  },
  {
    id: 'OPT-003',
    area: AREA,
    title: 'SetVouchers with a voucher that is not a signed voucher is refused with a fault',
    clause: 'TR-069 §A.4.1.3 (SetVouchers), Annex C (signed vouchers)',
    requires: { rpcs: ['SetVouchers'] },
    steps: [
      'Send SetVouchers with one base64 blob that is no signed voucher',
      'Expect fault 9001-9004 (not success)',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({ method: 'SetVouchers', VoucherList: [NOT_A_VOUCHER] });
      const code = faultCode(answer);
      ctx.expect(
        code !== undefined && code >= 9001 && code <= 9004,
        `fault 9001-9004, got ${describeOutcome(answer)}`,
      );
    },
  },
  {
    id: 'OPT-004',
    area: AREA,
    title:
      'GetOptions and SetVouchers the DUT does not list are fault 9000, and the session goes on',
    clause: 'TR-069 §A.3.1 (optional methods), §A.5 (9000 Method not supported)',
    requires: { rpcs: ['GetRPCMethods'] },
    steps: [
      'For each of GetOptions and SetVouchers the DUT does not list (skip when it lists both):',
      'send it; expect fault 9000',
      'Send GetRPCMethods in the same session; expect its answer',
    ],
    async run(ctx: CaseContext) {
      const unlisted = (['GetOptions', 'SetVouchers'] as const).filter(
        (m) => !ctx.dut.methods.includes(m),
      );
      if (unlisted.length === 0) return ctx.skip('the DUT lists GetOptions and SetVouchers');
      for (const method of unlisted) {
        const answer = await ctx.rpc(
          method === 'GetOptions'
            ? { method, OptionName: '' }
            : { method, VoucherList: [NOT_A_VOUCHER] },
        );
        ctx.expect(
          faultCode(answer) === 9000,
          `${method}: fault 9000, got ${describeOutcome(answer)}`,
        );
      }
      const session = await ctx.session();
      await session.rpc({ method: 'GetRPCMethods' });
      ctx.expect(session.open, 'the session to go on after the 9000 faults');
    },
  },
];
