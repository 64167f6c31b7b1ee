// ISO 4217 currencies and their minor units (scale). FSPIOP amounts carry at most 4 decimals; a currency's
// amount may not carry more decimals than its scale.
const SCALE_0 = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'
const SCALE_3 = 'BHD IQD JOD KWD LYD OMR TND'
const SCALE_4 = 'CLF UYW XTS XXX'
const SCALE_2 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF ' +
  'CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ ' +
  'GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK ' +
  'MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB ' +
  'SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD ' +
  'USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL'

const scales = new Map<string, number>()
for (const [list, scale] of [[SCALE_0, 0], [SCALE_2, 2], [SCALE_3, 3], [SCALE_4, 4]] as const) {
  for (const code of list.split(' ')) scales.set(code, scale)
}

/** The number of decimals the currency allows, or undefined for a code that is not ISO 4217. */
export function currencyScale(code: string): number | undefined {
  return scales.get(code)
}

export function isCurrency(code: string): boolean {
  return scales.has(code)
}

export function allCurrencies(): ReadonlyMap<string, number> {
  return scales
}
