// Who may register a party for which DFSP, where the answer goes and what it says, as Mojaloop's ALS
// does it (domain/participants/participants.js postParticipants and postParticipantsBatch).
import { FspiopError, type ErrorInformation, type FspiopErrorCode } from '../fspiop/errors.ts'
import type { DirectoryParticipant } from '../fspiop/directory.ts'

export interface RegisteredParty {
  partyIdType: string
  partyIdentifier: string
  partySubIdOrType?: string
  fspId?: string
}

/**
 * The hub operator registers parties on behalf of any DFSP (FSPIOP-Source = the hub); a DFSP registers
 * only its own. ALS refuses a party whose fspId is not FSPIOP-Source with 3204 (postParticipantsBatch).
 */
export function registrationRefusal(source: DirectoryParticipant, fspId: string | undefined): FspiopError | undefined {
  if (source.isHub || fspId === source.name) return undefined
  return new FspiopError('3204', `fspId ${fspId ?? '(none)'} is not FSPIOP-Source ${source.name}; only the hub registers parties of another DFSP`)
}

/** ALS sends the result of a registration to FSPIOP-Destination if the request named one, else to `otherwise`. */
export function resultTo(destination: string | undefined, otherwise: string): string {
  return destination ?? otherwise
}

// Keys are in sorted order: Mojaloop's JWS validators (sdk-standard-components) re-serialize the body with
// sorted keys before checking the hub's signature.

/** The party as PartyIdInfo, keys sorted. */
export function partyIdOf(party: RegisteredParty): RegisteredParty {
  const id: RegisteredParty = { ...(party.fspId !== undefined ? { fspId: party.fspId } : {}), partyIdType: party.partyIdType, partyIdentifier: party.partyIdentifier }
  if (party.partySubIdOrType) id.partySubIdOrType = party.partySubIdOrType
  return id
}

/** The body of PUT /participants/{Type}/{ID}[/{SubId}] after a registration, as ALS builds it. */
export function registeredBody(party: RegisteredParty & { fspId: string }, currency: string | undefined) {
  return { ...(currency ? { currency } : {}), partyList: [partyIdOf(party)] }
}

/** A failed entry of PUT /participants/{requestId}: the party and the error, naming the party in its extension list. */
export function partyFailure(party: RegisteredParty, code: FspiopErrorCode, detail?: string): { errorInformation: ErrorInformation; partyId: RegisteredParty } {
  const error = new FspiopError(code, detail, { extension: [{ key: party.partyIdType, value: party.partyIdentifier }] })
  return { errorInformation: error.toBody().errorInformation, partyId: partyIdOf(party) }
}
