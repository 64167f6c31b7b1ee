// pacs.028.001.04 (FIToFIPaymentStatusRequest): a payer core asks about a payment it sent, by the
// original message id, the end-to-end id, the transaction id or the UETR; the answer is a pacs.002.
import { list, node, text, type XmlNode } from './iso-xml.ts'

export interface StatusRequest {
  msgId: string
  originalMsgId?: string
  endToEndId?: string
  txId?: string
  uetr?: string
}

export function readPacs028(message: XmlNode): StatusRequest {
  const [tx] = list(message, 'TxInf')
  return {
    msgId: text(message, 'GrpHdr', 'MsgId')!,
    originalMsgId: text(message, 'OrgnlGrpInf', 'OrgnlMsgId') ?? text(node(tx, 'OrgnlGrpInf'), 'OrgnlMsgId'),
    endToEndId: text(tx, 'OrgnlEndToEndId'), txId: text(tx, 'OrgnlTxId'), uetr: text(tx, 'OrgnlUETR'),
  }
}
