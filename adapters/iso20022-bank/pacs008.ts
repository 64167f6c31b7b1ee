// pacs.008.001.09 (FIToFICustomerCreditTransfer), one transaction per message: read from a bank core
// that pays, written to a bank core that is paid. A party is its account: an alias (Prxy, e.g. an
// MSISDN), an IBAN, or another identification with its scheme (Othr/SchmeNm/Prtry = the FSPIOP party id
// type); an agent is its FSP id (FinInstnId/Othr/Id).
import { amountNode, list, node, text, writeDocument, type XmlNode, type XmlValue } from './iso-xml.ts'

export interface BankParty {
  name?: string
  /** FSPIOP party id type: MSISDN, IBAN, ACCOUNT_ID, … */
  idType: string
  idValue: string
}

export interface CreditTransfer {
  msgId: string
  createdAt: string
  instrId?: string
  endToEndId: string
  txId?: string
  uetr?: string
  /** As the message writes it (exact decimal text); its scale is checked against the currency later. */
  amount: string
  currency: string
  settlementDate?: string
  /** The latest the payment may be settled (IntrBkSttlmDt with SttlmTmReq/TillTm), ISO 8601. */
  deadline?: string
  debtor: BankParty
  creditor: BankParty
  debtorAgent?: string
  creditorAgent?: string
  remittance?: string
}

export type CreditTransferRead = { ok: true; transfer: CreditTransfer } | { ok: false; message: string }

const PROXY_TYPES: Record<string, string> = { TELE: 'MSISDN', EMAL: 'EMAIL' }
const UETR = /^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/

export const isUetr = (id: string) => UETR.test(id)

export function partyOfAccount(party: XmlValue, account: XmlValue): BankParty | undefined {
  const name = text(party, 'Nm')
  const proxy = node(account, 'Prxy')
  if (proxy) {
    const code = text(proxy, 'Tp', 'Cd')
    const idType = text(proxy, 'Tp', 'Prtry') ?? (code ? PROXY_TYPES[code] : undefined)
    if (idType) return { name, idType, idValue: text(proxy, 'Id')! }
  }
  const iban = text(account, 'Id', 'IBAN')
  if (iban) return { name, idType: 'IBAN', idValue: iban }
  const other = text(account, 'Id', 'Othr', 'Id')
  if (other) return { name, idType: text(account, 'Id', 'Othr', 'SchmeNm', 'Prtry') ?? 'ACCOUNT_ID', idValue: other }
  return undefined
}

export function accountOfParty(party: BankParty): XmlNode {
  return { Id: party.idType === 'IBAN' ? { IBAN: party.idValue } : { Othr: { Id: party.idValue, SchmeNm: { Prtry: party.idType } } } }
}

export const agentOf = (fspId: string): XmlNode => ({ FinInstnId: { Othr: { Id: fspId } } })
const fspOfAgent = (agent: XmlValue) => text(agent, 'FinInstnId', 'Othr', 'Id') ?? text(agent, 'FinInstnId', 'BICFI')

/** The message element of a schema-valid pacs.008. */
export function readPacs008(message: XmlNode): CreditTransferRead {
  const transactions = list(message, 'CdtTrfTxInf')
  if (transactions.length !== 1 || text(message, 'GrpHdr', 'NbOfTxs') !== '1') return { ok: false, message: 'one transaction per message (NbOfTxs 1)' }
  const tx = transactions[0]
  const debtor = partyOfAccount(node(tx, 'Dbtr'), node(tx, 'DbtrAcct'))
  const creditor = partyOfAccount(node(tx, 'Cdtr'), node(tx, 'CdtrAcct'))
  if (!debtor) return { ok: false, message: 'DbtrAcct identifies no account (Prxy, IBAN or Othr)' }
  if (!creditor) return { ok: false, message: 'CdtrAcct identifies no account (Prxy, IBAN or Othr)' }
  const settlementDate = text(tx, 'IntrBkSttlmDt') ?? text(message, 'GrpHdr', 'IntrBkSttlmDt')
  const tillTime = text(tx, 'SttlmTmReq', 'TillTm')
  const remittance = list(tx, 'RmtInf', 'Ustrd').filter((u): u is string => typeof u === 'string').join(' ')
  return {
    ok: true,
    transfer: {
      msgId: text(message, 'GrpHdr', 'MsgId')!, createdAt: text(message, 'GrpHdr', 'CreDtTm')!,
      instrId: text(tx, 'PmtId', 'InstrId'), endToEndId: text(tx, 'PmtId', 'EndToEndId')!, txId: text(tx, 'PmtId', 'TxId'), uetr: text(tx, 'PmtId', 'UETR'),
      amount: text(tx, 'IntrBkSttlmAmt')!, currency: text(node(tx, 'IntrBkSttlmAmt'), '@_Ccy')!,
      settlementDate, deadline: tillTime ? deadlineOf(settlementDate, tillTime) : undefined,
      debtor, creditor, debtorAgent: fspOfAgent(node(tx, 'DbtrAgt')), creditorAgent: fspOfAgent(node(tx, 'CdtrAgt')),
      remittance: remittance || undefined,
    },
  }
}

function deadlineOf(date: string | undefined, time: string): string {
  const day = date ?? new Date().toISOString().slice(0, 10)
  const zoned = /(Z|[+-]\d\d:\d\d)$/.test(time) ? time : `${time}Z`
  const at = new Date(`${day}T${zoned}`)
  return Number.isNaN(at.getTime()) ? `${day}T00:00:00Z` : at.toISOString()
}

/** A pacs.008 for a bank core: `amount` already in the ISO form of its currency. */
export function writePacs008(t: CreditTransfer): string {
  return writeDocument('pacs.008', 'FIToFICstmrCdtTrf', {
    GrpHdr: { MsgId: t.msgId, CreDtTm: t.createdAt, NbOfTxs: '1', SttlmInf: { SttlmMtd: 'CLRG' } },
    CdtTrfTxInf: {
      PmtId: { InstrId: t.instrId, EndToEndId: t.endToEndId, TxId: t.txId, UETR: t.uetr },
      IntrBkSttlmAmt: amountNode(t.amount, t.currency), IntrBkSttlmDt: t.settlementDate, ChrgBr: 'SLEV',
      Dbtr: { Nm: t.debtor.name ?? t.debtor.idValue }, DbtrAcct: accountOfParty(t.debtor), DbtrAgt: agentOf(t.debtorAgent ?? 'NOTPROVIDED'),
      CdtrAgt: agentOf(t.creditorAgent ?? 'NOTPROVIDED'), Cdtr: { Nm: t.creditor.name ?? t.creditor.idValue }, CdtrAcct: accountOfParty(t.creditor),
      RmtInf: t.remittance ? { Ustrd: t.remittance } : undefined,
    },
  })
}
