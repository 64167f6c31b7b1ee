// The one mapping between FSPIOP error codes and ISO 20022 ExternalStatusReason1Code, each direction a
// table. FSPIOP → ISO covers every FSPIOP code (the type makes the table exhaustive; the third-party
// 7xxx family, which no payment between banks produces, is one rule). ISO → FSPIOP covers the reasons a
// bank core answers a pacs.008 with; any other reason is the payee's generic rejection.
import { ERRORS, isFspiopErrorCode, type FspiopErrorCode } from '../../switch/fspiop/errors.ts'

/** The ISO reasons this connector sends or understands, with the code list's names. */
export const ISO_REASONS = {
  AB05: 'TimeoutCreditorAgent', AB06: 'TimeoutInstructedAgent', AB07: 'OfflineAgent', AB08: 'OfflineCreditorAgent', AB09: 'ErrorCreditorAgent', AB10: 'ErrorInstructedAgent',
  AC01: 'IncorrectAccountNumber', AC03: 'InvalidCreditorAccountNumber', AC04: 'ClosedAccountNumber', AC06: 'BlockedAccount', AC07: 'ClosedCreditorAccountNumber',
  AG01: 'TransactionForbidden', AG03: 'TransactionNotSupported', AGNT: 'IncorrectAgent',
  AM02: 'NotAllowedAmount', AM03: 'NotAllowedCurrency', AM04: 'InsufficientFunds', AM05: 'Duplication', AM09: 'WrongAmount', AM12: 'InvalidAmount', AM14: 'AmountExceedsAgreedLimit',
  BE01: 'InconsistentWithEndCustomer', CUST: 'RequestedByCustomer', DT01: 'InvalidDate', DU01: 'DuplicateMessageID', FF01: 'InvalidFileFormat',
  MS02: 'NotSpecifiedReasonCustomerGenerated', MS03: 'NotSpecifiedReasonAgentGenerated', NARR: 'Narrative', RC01: 'BankIdentifierIncorrect', RR04: 'RegulatoryReason',
} as const
export type IsoReason = keyof typeof ISO_REASONS

type BankFacingCode = Exclude<FspiopErrorCode, `7${string}`>

const ISO_OF_FSPIOP: Record<BankFacingCode, IsoReason> = {
  // communication and the switch's own trouble
  '1000': 'AB07', '1001': 'AB08',
  '2000': 'MS03', '2001': 'MS03', '2002': 'AG03', '2003': 'AB07', '2004': 'AB06', '2005': 'AB07',
  // a request the switch or the payee could not take as sent
  '3000': 'FF01', '3001': 'FF01', '3002': 'FF01', '3003': 'MS03', '3040': 'MS03', '3100': 'FF01', '3101': 'FF01', '3102': 'FF01', '3103': 'FF01',
  '3104': 'FF01', '3105': 'MS03', '3106': 'AM09', '3107': 'FF01',
  // unknown ids: the party, its FSP, the payment
  '3200': 'AC01', '3201': 'AGNT', '3202': 'AGNT', '3203': 'RC01', '3204': 'AC01', '3205': 'MS03', '3206': 'MS03', '3207': 'MS03', '3208': 'MS03', '3209': 'MS03', '3210': 'MS03',
  // expiry
  '3300': 'AB05', '3301': 'AB05', '3302': 'AB05', '3303': 'AB05',
  // the payer's side
  '4000': 'MS02', '4001': 'AM04', '4100': 'MS02', '4101': 'CUST', '4102': 'AG03', '4103': 'AM03', '4200': 'AM04', '4300': 'AG01', '4400': 'AC06',
  // the payee's side
  '5000': 'AB09', '5001': 'AM04', '5100': 'MS02', '5101': 'MS02', '5102': 'AG03', '5103': 'AB09', '5104': 'MS02', '5105': 'AB09', '5106': 'AM03',
  '5107': 'AC04', '5200': 'AM14', '5300': 'AG01', '5400': 'AC06',
}

const FSPIOP_OF_ISO: Record<IsoReason, BankFacingCode> = {
  AB05: '3303', AB06: '2004', AB07: '1000', AB08: '1001', AB09: '5105', AB10: '2001',
  AC01: '3204', AC03: '3204', AC04: '5107', AC06: '5400', AC07: '5107',
  AG01: '5300', AG03: '5102', AGNT: '3201',
  AM02: '5200', AM03: '5106', AM04: '5001', AM05: '5105', AM09: '5104', AM12: '3100', AM14: '5200',
  BE01: '5104', CUST: '5104', DT01: '3100', DU01: '3100', FF01: '3100',
  MS02: '5104', MS03: '5105', NARR: '5104', RC01: '3201', RR04: '5300',
}

/** The reason a pacs.002 RJCT gives for an FSPIOP error; a code outside the specification is agent-generated. */
export function isoReasonOf(fspiopCode: string): IsoReason {
  if (!isFspiopErrorCode(fspiopCode)) return 'MS03'
  if (fspiopCode.startsWith('7')) return 'MS03'
  return ISO_OF_FSPIOP[fspiopCode as BankFacingCode]
}

/** The FSPIOP error a payee core's RJCT reason becomes; an unknown reason is the payee's rejection (5104). */
export function fspiopCodeOf(isoReason: string | undefined): FspiopErrorCode {
  return isoReason !== undefined && Object.hasOwn(FSPIOP_OF_ISO, isoReason) ? FSPIOP_OF_ISO[isoReason as IsoReason] : '5104'
}

export const isIsoReason = (code: string): code is IsoReason => Object.hasOwn(ISO_REASONS, code)
export const ALL_FSPIOP_CODES = Object.keys(ERRORS) as FspiopErrorCode[]
