// What an ISO 20022-mode DFSP sends, for tests: the ISO 20022 variant of FSPIOP v2.0 (acmt.024, pacs.081,
// pacs.082, pacs.008, pacs.002, and the FX messages of /fxQuotes and /fxTransfers), written by hand from
// the document rather than by Agora's translator.
import { ulid } from './ulid.ts'
import { isoContentTypeFor } from '../../switch/fspiop/api-mode.ts'

export function isoHeaders(resource: string, source: string, destination?: string, opts: { accept?: boolean } = {}): Record<string, string> {
  return {
    'content-type': isoContentTypeFor(resource), ...(opts.accept ? { accept: isoContentTypeFor(resource) } : {}),
    date: new Date().toUTCString(), 'fspiop-source': source, ...(destination ? { 'fspiop-destination': destination } : {}),
  }
}

export interface IsoParty { msisdn: string; fsp: string; name?: string }

const header = () => ({ MsgId: ulid(), CreDtTm: new Date().toISOString() })
const agent = (fsp: string) => ({ FinInstnId: { Othr: { Id: fsp } } })
const person = (p: IsoParty) => ({ Id: { PrvtId: { Othr: { SchmeNm: { Prtry: 'MSISDN' }, Id: p.msisdn } } }, ...(p.name ? { Nm: p.name } : {}) })

/** acmt.024: the party found, from its DFSP to the one that asked. */
export function isoPartyFound(party: IsoParty, asker: string, currency: string) {
  return {
    Assgnmt: { ...header(), Assgnr: { Agt: agent(party.fsp) }, Assgne: { Agt: agent(asker) } },
    Rpt: { OrgnlId: `MSISDN/${party.msisdn}`, Vrfctn: true, UpdtdPtyAndAcctId: { Pty: person(party), Agt: agent(party.fsp), Acct: { Ccy: currency } } },
  }
}

/** pacs.081: a quote request. */
export function isoQuoteRequest(q: { quoteId: string; transactionId: string; payer: IsoParty; payee: IsoParty; amount: string; currency: string; expiration: string }) {
  return {
    GrpHdr: { ...header(), NbOfTxs: '1', SttlmInf: { SttlmMtd: 'CLRG' }, PmtInstrXpryDtTm: q.expiration },
    CdtTrfTxInf: {
      PmtId: { TxId: q.quoteId, EndToEndId: q.transactionId }, ChrgBr: 'CRED',
      Cdtr: person(q.payee), CdtrAgt: agent(q.payee.fsp), Dbtr: person(q.payer), DbtrAgt: agent(q.payer.fsp),
      IntrBkSttlmAmt: { Ccy: q.currency, ActiveCurrencyAndAmount: q.amount }, Purp: { Prtry: 'TRANSFER' },
    },
  }
}

/** pacs.082: the payee's terms, with the ILP packet that carries the condition. */
export function isoQuoteTerms(q: { quoteId: string; payer: IsoParty; payee: IsoParty; amount: string; currency: string; expiration: string; ilpPacket: string }) {
  return {
    GrpHdr: { ...header(), NbOfTxs: '1', SttlmInf: { SttlmMtd: 'CLRG' }, PmtInstrXpryDtTm: q.expiration },
    CdtTrfTxInf: {
      PmtId: { TxId: q.quoteId }, ChrgBr: 'CRED', Cdtr: person(q.payee), CdtrAgt: agent(q.payee.fsp), Dbtr: person(q.payer), DbtrAgt: agent(q.payer.fsp),
      IntrBkSttlmAmt: { Ccy: q.currency, ActiveCurrencyAndAmount: q.amount }, VrfctnOfTerms: { IlpV4PrepPacket: q.ilpPacket },
    },
  }
}

/** pacs.008: a transfer prepare. */
export function isoTransfer(t: { transferId: string; payer: IsoParty; payee: IsoParty; amount: string; currency: string; expiration: string; ilpPacket: string }) {
  return {
    GrpHdr: { ...header(), NbOfTxs: '1', SttlmInf: { SttlmMtd: 'CLRG' }, PmtInstrXpryDtTm: t.expiration },
    CdtTrfTxInf: {
      PmtId: { TxId: t.transferId }, ChrgBr: 'CRED', Cdtr: person(t.payee), CdtrAgt: agent(t.payee.fsp), Dbtr: person(t.payer), DbtrAgt: agent(t.payer.fsp),
      IntrBkSttlmAmt: { Ccy: t.currency, ActiveCurrencyAndAmount: t.amount }, VrfctnOfTerms: { IlpV4PrepPacket: t.ilpPacket },
    },
  }
}

/** pacs.002: the payee's fulfil (COMM, or RESV to be told the final state by PATCH) with the fulfilment. */
export function isoFulfil(fulfilment: string, status: 'COMM' | 'RESV' = 'COMM') {
  return { GrpHdr: header(), TxInfAndSts: { ExctnConf: fulfilment, PrcgDt: { DtTm: new Date().toISOString() }, TxSts: status } }
}

/** acmt.024 as an error: the party is not known (the reason code is the FSPIOP error code). */
export function isoPartyError(party: IsoParty, asker: string, code: string) {
  return { Assgnmt: { ...header(), Assgnr: { Agt: agent(party.fsp) }, Assgne: { Agt: agent(asker) } }, Rpt: { OrgnlId: `MSISDN/${party.msisdn}`, Vrfctn: false, Rsn: { Cd: code } } }
}

/** pacs.002 as an error: the reason code is the FSPIOP error code. */
export function isoError(code: string, description: string) {
  return { GrpHdr: header(), TxInfAndSts: { StsRsnInf: { Rsn: { Prtry: code }, AddtlInf: description } } }
}

const fsp = (name: string) => ({ Id: { OrgId: { Othr: { Id: name } } } })
/** The two FSPs of a conversion as the FX messages name them: the initiating DFSP (debtor) and the FXP (creditor). */
const conversionParties = (initiatingFsp: string, fxp: string, source: { currency: string; amount: string }) => ({
  Dbtr: agent(initiatingFsp), Cdtr: agent(fxp),
  UndrlygCstmrCdtTrf: { Dbtr: fsp(initiatingFsp), DbtrAgt: agent(initiatingFsp), Cdtr: fsp(fxp), CdtrAgt: agent(fxp), InstdAmt: { Ccy: source.currency, ActiveOrHistoricCurrencyAndAmount: source.amount } },
})

export interface IsoConversion {
  conversionRequestId: string; conversionId: string; determiningTransferId: string; initiatingFsp: string; fxp: string
  source: { currency: string; amount: string }; target: { currency: string; amount: string }; expiration: string
}

/** POST /fxQuotes (FxRequest_FICreditTransferProposal): SEND the source amount; the target amount "0" is the FXP's to fill in. */
export function isoFxQuoteRequest(c: IsoConversion) {
  return {
    GrpHdr: { ...header(), NbOfTxs: '1', SttlmInf: { SttlmMtd: 'CLRG' }, PmtInstrXpryDtTm: c.expiration },
    CdtTrfTxInf: {
      PmtId: { TxId: c.conversionRequestId, InstrId: c.conversionId, EndToEndId: c.determiningTransferId }, ...conversionParties(c.initiatingFsp, c.fxp, c.source),
      IntrBkSttlmAmt: { Ccy: c.target.currency, ActiveCurrencyAndAmount: '0' }, InstrForCdtrAgt: { InstrInf: 'SEND' },
    },
  }
}

/** PUT /fxQuotes/{ID} (FxResponse_FICreditTransferConfirmation): the FXP's terms, with the condition. */
export function isoFxQuoteTerms(c: IsoConversion, condition: string) {
  return {
    GrpHdr: { ...header(), NbOfTxs: '1', SttlmInf: { SttlmMtd: 'CLRG' }, PmtInstrXpryDtTm: c.expiration },
    CdtTrfTxInf: {
      PmtId: { TxId: c.conversionRequestId, InstrId: c.conversionId, EndToEndId: c.determiningTransferId }, ...conversionParties(c.initiatingFsp, c.fxp, c.source),
      IntrBkSttlmAmt: { Ccy: c.target.currency, ActiveCurrencyAndAmount: c.target.amount }, InstrForCdtrAgt: { InstrInf: 'SEND' }, VrfctnOfTerms: { Sh256Sgntr: condition },
    },
  }
}

/** POST /fxTransfers (FxRequest_FICreditTransferProposal): the conversion, with the FXP's condition. */
export function isoFxTransfer(c: IsoConversion & { commitRequestId: string; condition: string }) {
  return {
    GrpHdr: { ...header(), NbOfTxs: '1', SttlmInf: { SttlmMtd: 'CLRG' }, PmtInstrXpryDtTm: c.expiration },
    CdtTrfTxInf: {
      PmtId: { TxId: c.commitRequestId, EndToEndId: c.determiningTransferId }, ...conversionParties(c.initiatingFsp, c.fxp, c.source),
      IntrBkSttlmAmt: { Ccy: c.target.currency, ActiveCurrencyAndAmount: c.target.amount }, VrfctnOfTerms: { Sh256Sgntr: c.condition },
    },
  }
}
