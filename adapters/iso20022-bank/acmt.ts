// acmt.023.001.02 / acmt.024.001.02 (IdentificationVerificationRequest / Report): an account look-up,
// FSPIOP's GET /parties. A payer core asks this connector (which asks the switch); the switch's lookups
// of this bank's customers are asked of its core the same way.
import { node, text, writeDocument, type XmlNode } from './iso-xml.ts'
import { accountOfParty, partyOfAccount, type BankParty } from './pacs008.ts'

const agent = (fspId: string): XmlNode => ({ Agt: { FinInstnId: { Othr: { Id: fspId } } } })

export interface VerificationRequest {
  msgId: string
  createdAt: string
  /** The verification's own id (Vrfctn/Id), quoted back in the report. */
  id: string
  party: BankParty
  assigner?: string
}

export interface VerificationReport {
  msgId: string
  createdAt: string
  originalMsgId: string
  originalId: string
  assigner: string
  assignee: string
  /** The party found (with its FSP), or undefined with the reason it was not. */
  found?: { party: BankParty; fspId: string }
  reason?: string
  asked: BankParty
}

export function readAcmt023(message: XmlNode): VerificationRequest | undefined {
  const verification = node(message, 'Vrfctn')
  const identified = node(verification, 'PtyAndAcctId')
  const party = partyOfAccount(node(identified, 'Pty'), { Id: node(identified, 'Acct') })
  if (!party) return undefined
  return {
    msgId: text(message, 'Assgnmt', 'MsgId')!, createdAt: text(message, 'Assgnmt', 'CreDtTm')!, id: text(verification, 'Id')!, party,
    assigner: text(message, 'Assgnmt', 'Assgnr', 'Agt', 'FinInstnId', 'Othr', 'Id'),
  }
}

export function writeAcmt023(r: VerificationRequest & { assignee: string }): string {
  return writeDocument('acmt.023', 'IdVrfctnReq', {
    Assgnmt: { MsgId: r.msgId, CreDtTm: r.createdAt, Assgnr: agent(r.assigner ?? 'NOTPROVIDED'), Assgne: agent(r.assignee) },
    Vrfctn: { Id: r.id, PtyAndAcctId: { Acct: accountOfParty(r.party).Id } },
  })
}

export function writeAcmt024(r: VerificationReport): string {
  const found = r.found
  return writeDocument('acmt.024', 'IdVrfctnRpt', {
    Assgnmt: { MsgId: r.msgId, CreDtTm: r.createdAt, Assgnr: agent(r.assigner), Assgne: agent(r.assignee) },
    OrgnlAssgnmt: { MsgId: r.originalMsgId },
    Rpt: {
      OrgnlId: r.originalId, Vrfctn: found ? 'true' : 'false', Rsn: found ? undefined : { Cd: r.reason ?? 'AC01' },
      OrgnlPtyAndAcctId: { Acct: accountOfParty(r.asked).Id },
      UpdtdPtyAndAcctId: found ? { Pty: found.party.name ? { Nm: found.party.name } : undefined, Acct: accountOfParty(found.party).Id, Agt: { FinInstnId: { Othr: { Id: found.fspId } } } } : undefined,
    },
  })
}

export interface ReportRead {
  verified: boolean
  reason?: string
  name?: string
}

export function readAcmt024(message: XmlNode): ReportRead {
  const report = node(message, 'Rpt')
  return { verified: text(report, 'Vrfctn') === 'true', reason: text(report, 'Rsn', 'Cd') ?? text(report, 'Rsn', 'Prtry'), name: text(report, 'UpdtdPtyAndAcctId', 'Pty', 'Nm') }
}
