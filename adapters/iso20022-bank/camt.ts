// camt.054.001.08 (a debit or credit notification, one per committed payment) and camt.053.001.08 (the
// end-of-day statement of this DFSP's accounts at the switch: position and settlement, from the
// switch's ledger). Amounts in the currency's decimals; a negative ledger amount is a debit.
import { Decimal } from '../../ledger/domain/money.ts'
import { amountNode, writeDocument, type XmlNode } from './iso-xml.ts'
import { isoAmountOf } from './iso-amount.ts'
import { accountOfParty, agentOf, type BankParty } from './pacs008.ts'

export interface PaymentEntry {
  direction: 'DBIT' | 'CRDT'
  amount: string
  currency: string
  bookedAt: string
  msgId?: string
  endToEndId?: string
  txId?: string
  uetr?: string
  debtor: BankParty
  creditor: BankParty
  debtorAgent: string
  creditorAgent: string
  remittance?: string
}

const bankTransactionCode = (direction: 'DBIT' | 'CRDT') => ({ Domn: { Cd: 'PMNT', Fmly: { Cd: direction === 'CRDT' ? 'RCDT' : 'ICDT', SubFmlyCd: 'DMCT' } } })

export function writeCamt054(n: { msgId: string; createdAt: string; account: BankParty; entry: PaymentEntry }): string {
  const e = n.entry
  return writeDocument('camt.054', 'BkToCstmrDbtCdtNtfctn', {
    GrpHdr: { MsgId: n.msgId, CreDtTm: n.createdAt },
    Ntfctn: {
      Id: n.msgId, CreDtTm: n.createdAt, Acct: accountOfParty(n.account),
      Ntry: {
        Amt: amountNode(isoAmountOf(e.amount, e.currency), e.currency), CdtDbtInd: e.direction, Sts: { Cd: 'BOOK' }, BookgDt: { DtTm: e.bookedAt },
        BkTxCd: bankTransactionCode(e.direction),
        NtryDtls: {
          TxDtls: {
            Refs: { MsgId: e.msgId, EndToEndId: e.endToEndId, UETR: e.uetr, TxId: e.txId },
            Amt: amountNode(isoAmountOf(e.amount, e.currency), e.currency), CdtDbtInd: e.direction,
            RltdPties: { Dbtr: { Pty: { Nm: e.debtor.name ?? e.debtor.idValue } }, DbtrAcct: accountOfParty(e.debtor), Cdtr: { Pty: { Nm: e.creditor.name ?? e.creditor.idValue } }, CdtrAcct: accountOfParty(e.creditor) },
            RltdAgts: { DbtrAgt: agentOf(e.debtorAgent), CdtrAgt: agentOf(e.creditorAgent) },
            RmtInf: e.remittance ? { Ustrd: e.remittance.slice(0, 140) } : undefined,
          },
        },
      },
    },
  })
}

export interface LedgerAccount {
  /** POSITION or SETTLEMENT */
  type: string
  currency: string
  /** Decimal strings, the ledger's sign: positive is owed by the DFSP. */
  opening: string
  closing: string
  lines: { time: string; kind: string; reference: string; amount: string }[]
}

export function writeCamt053(s: { msgId: string; createdAt: string; fspId: string; from: string; to: string; accounts: LedgerAccount[] }): string {
  const balance = (code: 'OPBD' | 'CLBD', value: string, currency: string, at: string): XmlNode => {
    const d = new Decimal(value)
    return { Tp: { CdOrPrtry: { Cd: code } }, Amt: amountNode(isoAmountOf(d.abs().toFixed(), currency), currency), CdtDbtInd: d.isNegative() ? 'CRDT' : 'DBIT', Dt: { DtTm: at } }
  }
  return writeDocument('camt.053', 'BkToCstmrStmt', {
    GrpHdr: { MsgId: s.msgId, CreDtTm: s.createdAt },
    Stmt: s.accounts.map((a, i) => ({
      Id: `${s.msgId}-${i + 1}`.slice(0, 35), CreDtTm: s.createdAt, FrToDt: { FrDtTm: s.from, ToDtTm: s.to },
      Acct: { Id: { Othr: { Id: `${s.fspId}-${a.type}-${a.currency}`.slice(0, 34), SchmeNm: { Prtry: a.type } } }, Ccy: a.currency, Ownr: { Nm: s.fspId } },
      Bal: [balance('OPBD', a.opening, a.currency, s.from), balance('CLBD', a.closing, a.currency, s.to)],
      Ntry: a.lines.map((l) => {
        const d = new Decimal(l.amount)
        const direction = d.isNegative() ? 'CRDT' : 'DBIT'
        return {
          NtryRef: l.reference.slice(0, 35), Amt: amountNode(isoAmountOf(d.abs().toFixed(), a.currency), a.currency), CdtDbtInd: direction, Sts: { Cd: 'BOOK' },
          BookgDt: { DtTm: l.time }, BkTxCd: { Prtry: { Cd: l.kind.slice(0, 35) } }, AddtlNtryInf: l.kind,
        }
      }),
    })),
  })
}
