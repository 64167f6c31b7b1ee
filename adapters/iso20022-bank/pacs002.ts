// pacs.002.001.11 (FIToFIPaymentStatusReport): this connector's answer to a pacs.008, pacs.028 or a
// message it could not take, and a payee core's answer to the pacs.008 it was sent. ACSC/ACCC: settled;
// PDNG: the switch has not decided yet (a pacs.028 asks again); RJCT with a reason code.
import { amountNode, list, text, writeDocument, type XmlNode } from './iso-xml.ts'
import { accountOfParty, type BankParty } from './pacs008.ts'
import { VALIDATION_MESSAGE_CHARS_MAX } from './xsd-validation.ts'

export type TransactionStatus = 'ACSC' | 'ACCC' | 'PDNG' | 'RJCT'

export interface StatusReport {
  msgId: string
  createdAt: string
  originalMsgId: string
  /** e.g. pacs.008.001.09 */
  originalMsgType: string
  status: TransactionStatus
  reason?: string
  info?: string
  endToEndId?: string
  txId?: string
  uetr?: string
  acceptedAt?: string
  /** The settled amount in ISO form, and the parties, as the switch knows them. */
  amount?: { amount: string; currency: string }
  debtor?: BankParty
  creditor?: BankParty
}

/** A group-level problem (the whole message refused) has no transaction references to quote. */
export function writePacs002(r: StatusReport): string {
  const reason = r.reason || r.info ? { Rsn: r.reason ? { Cd: r.reason } : undefined, AddtlInf: r.info?.slice(0, VALIDATION_MESSAGE_CHARS_MAX) } : undefined
  const hasTransaction = r.endToEndId !== undefined || r.txId !== undefined || r.uetr !== undefined
  const body: XmlNode = {
    GrpHdr: { MsgId: r.msgId, CreDtTm: r.createdAt },
    OrgnlGrpInfAndSts: { OrgnlMsgId: r.originalMsgId, OrgnlMsgNmId: r.originalMsgType, GrpSts: hasTransaction ? undefined : r.status, StsRsnInf: hasTransaction ? undefined : reason },
  }
  if (hasTransaction) {
    body.TxInfAndSts = {
      OrgnlEndToEndId: r.endToEndId, OrgnlTxId: r.txId, OrgnlUETR: r.uetr, TxSts: r.status, StsRsnInf: reason, AccptncDtTm: r.acceptedAt,
      OrgnlTxRef: r.amount || r.debtor || r.creditor ? {
        IntrBkSttlmAmt: r.amount ? amountNode(r.amount.amount, r.amount.currency) : undefined,
        Dbtr: r.debtor ? { Pty: { Nm: r.debtor.name ?? r.debtor.idValue } } : undefined, DbtrAcct: r.debtor ? accountOfParty(r.debtor) : undefined,
        Cdtr: r.creditor ? { Pty: { Nm: r.creditor.name ?? r.creditor.idValue } } : undefined, CdtrAcct: r.creditor ? accountOfParty(r.creditor) : undefined,
      } : undefined,
    }
  }
  return writeDocument('pacs.002', 'FIToFIPmtStsRpt', body)
}

export interface StatusRead {
  originalMsgId?: string
  status?: string
  reason?: string
  info?: string
  uetr?: string
}

/** The message element of a schema-valid pacs.002: the first transaction's status, else the group's. */
export function readPacs002(message: XmlNode): StatusRead {
  const [tx] = list(message, 'TxInfAndSts')
  const group = list(message, 'OrgnlGrpInfAndSts')[0]
  const status = text(tx, 'TxSts') ?? text(group, 'GrpSts')
  const reasonOf = (at: unknown) => ({ reason: text(at as XmlNode, 'StsRsnInf', 'Rsn', 'Cd'), info: text(at as XmlNode, 'StsRsnInf', 'AddtlInf') })
  const why = tx && text(tx, 'TxSts') ? reasonOf(tx) : reasonOf(group)
  return { originalMsgId: text(group, 'OrgnlMsgId'), status, ...why, uetr: text(tx, 'OrgnlUETR') }
}
