// application/xml submissions: ISO 20022 pain.001.001.10 (CustomerCreditTransferInitiation), checked
// against the official XSD first. The disbursement id is GrpHdr/MsgId. Each CdtTrfTxInf is one
// beneficiary: the party is CdtrAcct/Id/Othr/Id with its type in Othr/SchmeNm/Prtry (MSISDN when absent),
// or CdtrAcct/Id/IBAN (IBAN), or Cdtr/CtctDtls/MobNb (MSISDN); the amount is Amt/InstdAmt with its Ccy;
// the reference is PmtId/EndToEndId (quoted back in the pain.002 report).
import { childElements, textAt, type XmlElement } from '../../protocol/xml/xsd-validation.ts'
import { readAgainstXsd } from './xsd-check.ts'
import { checkBeneficiaries, refuse, type Beneficiary, type Parsed } from './submission.ts'

export const PAIN001_MESSAGE = 'pain.001.001.10'

interface Pain001Read {
  disbursementId: string
  declared: string
  rows: { row: number; currency: string; beneficiary: Beneficiary }[]
  paymentInfos: [string, number][]
}

function partyOf(tx: XmlElement): { idType: string; idValue: string } {
  const other = textAt(tx, 'CdtrAcct', 'Id', 'Othr', 'Id')
  if (other) return { idType: textAt(tx, 'CdtrAcct', 'Id', 'Othr', 'SchmeNm', 'Prtry') || 'MSISDN', idValue: other }
  const iban = textAt(tx, 'CdtrAcct', 'Id', 'IBAN')
  if (iban) return { idType: 'IBAN', idValue: iban }
  return { idType: 'MSISDN', idValue: textAt(tx, 'Cdtr', 'CtctDtls', 'MobNb') }
}

/** What a submission needs, read from the validated document in libxml2 (no JS tree of the whole file). */
function readPain001(root: XmlElement): Pain001Read {
  const initiation = childElements(root, 'CstmrCdtTrfInitn').next().value
  const rows: Pain001Read['rows'] = []
  const paymentInfos: [string, number][] = []
  if (initiation) {
    for (const pmtInf of childElements(initiation, 'PmtInf')) {
      let count = 0
      for (const tx of childElements(pmtInf, 'CdtTrfTxInf')) {
        count++
        const instructed = childElements(childElements(tx, 'Amt').next().value ?? tx, 'InstdAmt').next().value
        rows.push({
          row: rows.length + 1, currency: instructed?.attr('Ccy')?.value ?? '',
          beneficiary: { ...partyOf(tx), amount: instructed?.content.trim() ?? '', name: textAt(tx, 'Cdtr', 'Nm'), reference: textAt(tx, 'PmtId', 'EndToEndId') },
        })
      }
      paymentInfos.push([textAt(pmtInf, 'PmtInfId'), count])
    }
  }
  return { disbursementId: textAt(initiation, 'GrpHdr', 'MsgId'), declared: textAt(initiation, 'GrpHdr', 'NbOfTxs'), rows, paymentInfos }
}

export function parsePain001Submission(xml: string): Parsed {
  const check = readAgainstXsd(xml, PAIN001_MESSAGE, readPain001)
  if (!check.ok) return refuse(check.problem === 'schema' ? 'schema' : 'malformed', check.message)
  const { disbursementId, declared, rows, paymentInfos } = check.value
  if (declared !== String(rows.length)) return refuse('malformed', `GrpHdr/NbOfTxs is ${declared} but the file has ${rows.length} transactions`)
  const checked = checkBeneficiaries(rows)
  if (!checked.ok) return { ok: false, refusal: checked.refusal }
  const meta = { msgId: disbursementId, paymentInfos: JSON.stringify(paymentInfos) }
  return { ok: true, submission: { format: 'pain.001', disbursementId, currency: checked.currency, beneficiaries: checked.beneficiaries, meta } }
}
