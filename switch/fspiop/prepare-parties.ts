// The accounts a prepare names, read from the participant cache, and the reason central-ledger's prepare
// validator would refuse it (validator.js: payer, its position account, payee, its position account,
// then payer and payee differ; the first failure only). A refusal is not answered here: the position handler records the transfer ABORTED
// with 3100 "Generic validation error - <reason>" and tells the payer, as central-ledger does.
import type { DirectoryAccount, DirectoryParticipant } from './directory.ts'
import { NO_ACCOUNT } from '../../ledger/store/transfers.ts'

export interface PrepareParties {
  payerAccountId: number
  payeeAccountId: number
  payerSettlementAccountId: number
  refusal: string | undefined
}

/** `payer` is the FSPIOP-Source, so it is known; the payee may not be. */
export function prepareParties(payer: DirectoryParticipant, payeeName: string, payee: DirectoryParticipant | undefined, currency: string): PrepareParties {
  const payerPosition = payer.accounts.get(`${currency}:POSITION`)
  // Agora keeps the liquidity cover on the SETTLEMENT account; central-ledger creates and deactivates
  // the two accounts of a currency together, so a missing one reads the same.
  const payerSettlement = payer.accounts.get(`${currency}:SETTLEMENT`)
  const payeePosition = payee?.accounts.get(`${currency}:POSITION`)
  const refusal = participantProblem(payer.name, payer)
    ?? accountProblem(payer.name, currency, payerPosition)
    ?? accountProblem(payer.name, currency, payerSettlement)
    ?? participantProblem(payeeName, payee)
    ?? accountProblem(payeeName, currency, payeePosition)
    ?? (payer.name === payeeName ? 'Payer FSP and Payee FSP should be different, unless on-us tranfers are allowed by the Scheme' : undefined)
  return {
    payerAccountId: payerPosition?.id ?? NO_ACCOUNT,
    payeeAccountId: payeePosition?.id ?? NO_ACCOUNT,
    payerSettlementAccountId: payerSettlement?.id ?? NO_ACCOUNT,
    refusal,
  }
}

function participantProblem(name: string, p: DirectoryParticipant | undefined): string | undefined {
  if (!p) return `Participant ${name} not found`
  if (!p.isActive) return `Participant ${name} is inactive`
  return undefined
}

function accountProblem(name: string, currency: string, account: DirectoryAccount | undefined): string | undefined {
  if (!account) return `Participant ${name} ${currency} account not found`
  if (!account.isActive) return `Participant ${name} ${currency} account is inactive`
  return undefined
}
