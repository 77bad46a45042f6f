#include "classify/protocols/dns/dns_types.h"

#include <cstdio>
#include <cstring>

namespace tstat::classify::dns {

namespace {

using R = RdfType;
constexpr R N = R::kNone;

// ldns' descriptor for types it does not know: the whole rdata as one unknown field.
constexpr Descriptor kUnknownType{nullptr, 1, N, {R::kUnknown}};

constexpr Descriptor d1(const char* n, R a) { return {n, 1, N, {a}}; }

}  // namespace

const Descriptor& descriptor(uint16_t type) noexcept {
    static constexpr Descriptor kA = d1("A", R::kA);
    static constexpr Descriptor kNs = d1("NS", R::kDname);
    static constexpr Descriptor kMd = d1("MD", R::kDname);
    static constexpr Descriptor kMf = d1("MF", R::kDname);
    static constexpr Descriptor kCname = d1("CNAME", R::kDname);
    static constexpr Descriptor kSoa{
        "SOA", 7, N, {R::kDname, R::kDname, R::kInt32, R::kPeriod, R::kPeriod, R::kPeriod,
                      R::kPeriod}};
    static constexpr Descriptor kMb = d1("MB", R::kDname);
    static constexpr Descriptor kMg = d1("MG", R::kDname);
    static constexpr Descriptor kMr = d1("MR", R::kDname);
    static constexpr Descriptor kNull = d1("NULL", R::kUnknown);
    static constexpr Descriptor kWks{"WKS", 2, N, {R::kA, R::kWks}};
    static constexpr Descriptor kPtr = d1("PTR", R::kDname);
    static constexpr Descriptor kHinfo{"HINFO", 2, N, {R::kStr, R::kStr}};
    static constexpr Descriptor kMinfo{"MINFO", 2, N, {R::kDname, R::kDname}};
    static constexpr Descriptor kMx{"MX", 2, N, {R::kInt16, R::kDname}};
    static constexpr Descriptor kTxt{"TXT", 1, R::kStr, {R::kStr}};
    static constexpr Descriptor kRp{"RP", 2, N, {R::kDname, R::kDname}};
    static constexpr Descriptor kAfsdb{"AFSDB", 2, N, {R::kInt16, R::kDname}};
    static constexpr Descriptor kX25 = d1("X25", R::kStr);
    static constexpr Descriptor kIsdn{"ISDN", 2, N, {R::kStr, R::kStr}};
    static constexpr Descriptor kRt{"RT", 2, N, {R::kInt16, R::kDname}};
    static constexpr Descriptor kNsap = d1("NSAP", R::kNsap);
    static constexpr Descriptor kNsapPtr = d1("NSAP-PTR", R::kStr);
    static constexpr Descriptor kSig{"SIG", 9, N,
                                     {R::kType, R::kAlg, R::kInt8, R::kInt32, R::kTime, R::kTime,
                                      R::kInt16, R::kDname, R::kB64}};
    static constexpr Descriptor kKey{"KEY", 4, N, {R::kInt16, R::kInt8, R::kInt8, R::kB64}};
    static constexpr Descriptor kPx{"PX", 3, N, {R::kInt16, R::kDname, R::kDname}};
    static constexpr Descriptor kGpos{"GPOS", 3, N, {R::kStr, R::kStr, R::kStr}};
    static constexpr Descriptor kAaaa = d1("AAAA", R::kAaaa);
    static constexpr Descriptor kLoc = d1("LOC", R::kLoc);
    static constexpr Descriptor kNxt{"NXT", 2, N, {R::kDname, R::kUnknown}};
    static constexpr Descriptor kEid = d1("EID", R::kHex);
    static constexpr Descriptor kNimloc = d1("NIMLOC", R::kHex);
    static constexpr Descriptor kSrv{"SRV", 4, N, {R::kInt16, R::kInt16, R::kInt16, R::kDname}};
    static constexpr Descriptor kAtma = d1("ATMA", R::kAtma);
    static constexpr Descriptor kNaptr{
        "NAPTR", 6, N, {R::kInt16, R::kInt16, R::kStr, R::kStr, R::kStr, R::kDname}};
    static constexpr Descriptor kKx{"KX", 2, N, {R::kInt16, R::kDname}};
    static constexpr Descriptor kCert{"CERT", 4, N, {R::kCertAlg, R::kInt16, R::kAlg, R::kB64}};
    static constexpr Descriptor kA6 = d1("A6", R::kUnknown);
    static constexpr Descriptor kDname = d1("DNAME", R::kDname);
    static constexpr Descriptor kSink{"SINK", 3, N, {R::kInt8, R::kInt8, R::kHex}};
    static constexpr Descriptor kOpt = d1("OPT", R::kUnknown);
    static constexpr Descriptor kApl{"APL", 0, R::kApl, {}};
    static constexpr Descriptor kDs{"DS", 4, N, {R::kInt16, R::kAlg, R::kInt8, R::kHex}};
    static constexpr Descriptor kSshfp{"SSHFP", 3, N, {R::kInt8, R::kInt8, R::kHex}};
    static constexpr Descriptor kIpseckey = d1("IPSECKEY", R::kIpseckey);
    static constexpr Descriptor kRrsig{"RRSIG", 9, N,
                                       {R::kType, R::kAlg, R::kInt8, R::kInt32, R::kTime,
                                        R::kTime, R::kInt16, R::kDname, R::kB64}};
    static constexpr Descriptor kNsec{"NSEC", 2, N, {R::kDname, R::kNsec}};
    static constexpr Descriptor kDnskey{"DNSKEY", 4, N, {R::kInt16, R::kInt8, R::kAlg, R::kB64}};
    static constexpr Descriptor kDhcid = d1("DHCID", R::kB64);
    static constexpr Descriptor kNsec3{"NSEC3", 6, N,
                                       {R::kInt8, R::kInt8, R::kInt16, R::kNsec3Salt,
                                        R::kNsec3NextOwner, R::kNsec}};
    static constexpr Descriptor kNsec3param{"NSEC3PARAM", 4, N,
                                            {R::kInt8, R::kInt8, R::kInt16, R::kNsec3Salt}};
    static constexpr Descriptor kTlsa{"TLSA", 4, N,
                                      {R::kCertificateUsage, R::kSelector, R::kMatchingType,
                                       R::kHex}};
    static constexpr Descriptor kSmimea{"SMIMEA", 4, N,
                                        {R::kCertificateUsage, R::kSelector, R::kMatchingType,
                                         R::kHex}};
    static constexpr Descriptor kHip = d1("HIP", R::kHip);
    static constexpr Descriptor kCds{"CDS", 4, N, {R::kInt16, R::kAlg, R::kInt8, R::kHex}};
    static constexpr Descriptor kCdnskey{"CDNSKEY", 4, N,
                                         {R::kInt16, R::kInt8, R::kAlg, R::kB64}};
    static constexpr Descriptor kOpenpgpkey = d1("OPENPGPKEY", R::kB64);
    static constexpr Descriptor kCsync{"CSYNC", 3, N, {R::kInt32, R::kInt16, R::kNsec}};
    static constexpr Descriptor kZonemd{"ZONEMD", 4, N,
                                        {R::kInt32, R::kInt8, R::kInt8, R::kHex}};
    static constexpr Descriptor kSvcb{"SVCB", 3, N, {R::kInt16, R::kDname, R::kSvcParams}};
    static constexpr Descriptor kHttps{"HTTPS", 3, N, {R::kInt16, R::kDname, R::kSvcParams}};
    static constexpr Descriptor kSpf{"SPF", 1, R::kStr, {R::kStr}};
    static constexpr Descriptor kNid{"NID", 2, N, {R::kInt16, R::kIlnp64}};
    static constexpr Descriptor kL32{"L32", 2, N, {R::kInt16, R::kA}};
    static constexpr Descriptor kL64{"L64", 2, N, {R::kInt16, R::kIlnp64}};
    static constexpr Descriptor kLp{"LP", 2, N, {R::kInt16, R::kDname}};
    static constexpr Descriptor kEui48 = d1("EUI48", R::kEui48);
    static constexpr Descriptor kEui64 = d1("EUI64", R::kEui64);
    static constexpr Descriptor kTkey{"TKEY", 7, N,
                                      {R::kDname, R::kTime, R::kTime, R::kInt16, R::kInt16,
                                       R::kInt16Data, R::kInt16Data}};
    static constexpr Descriptor kTsig{"TSIG", 7, N,
                                      {R::kDname, R::kTsigTime, R::kInt16, R::kInt16Data,
                                       R::kInt16, R::kInt16, R::kInt16Data}};
    static constexpr Descriptor kUri{"URI", 3, N, {R::kInt16, R::kInt16, R::kLongStr}};
    static constexpr Descriptor kCaa{"CAA", 3, N, {R::kInt8, R::kTag, R::kLongStr}};
    switch (type) {
        case 1: return kA;
        case 2: return kNs;
        case 3: return kMd;
        case 4: return kMf;
        case 5: return kCname;
        case 6: return kSoa;
        case 7: return kMb;
        case 8: return kMg;
        case 9: return kMr;
        case 10: return kNull;
        case 11: return kWks;
        case 12: return kPtr;
        case 13: return kHinfo;
        case 14: return kMinfo;
        case 15: return kMx;
        case 16: return kTxt;
        case 17: return kRp;
        case 18: return kAfsdb;
        case 19: return kX25;
        case 20: return kIsdn;
        case 21: return kRt;
        case 22: return kNsap;
        case 23: return kNsapPtr;
        case 24: return kSig;
        case 25: return kKey;
        case 26: return kPx;
        case 27: return kGpos;
        case 28: return kAaaa;
        case 29: return kLoc;
        case 30: return kNxt;
        case 31: return kEid;
        case 32: return kNimloc;
        case 33: return kSrv;
        case 34: return kAtma;
        case 35: return kNaptr;
        case 36: return kKx;
        case 37: return kCert;
        case 38: return kA6;
        case 39: return kDname;
        case 40: return kSink;
        case 41: return kOpt;
        case 42: return kApl;
        case 43: return kDs;
        case 44: return kSshfp;
        case 45: return kIpseckey;
        case 46: return kRrsig;
        case 47: return kNsec;
        case 48: return kDnskey;
        case 49: return kDhcid;
        case 50: return kNsec3;
        case 51: return kNsec3param;
        case 52: return kTlsa;
        case 53: return kSmimea;
        case 55: return kHip;
        case 59: return kCds;
        case 60: return kCdnskey;
        case 61: return kOpenpgpkey;
        case 62: return kCsync;
        case 63: return kZonemd;
        case 64: return kSvcb;
        case 65: return kHttps;
        case 99: return kSpf;
        case 104: return kNid;
        case 105: return kL32;
        case 106: return kL64;
        case 107: return kLp;
        case 108: return kEui48;
        case 109: return kEui64;
        case 249: return kTkey;
        case 250: return kTsig;
        case 256: return kUri;
        case 257: return kCaa;
        default: return kUnknownType;
    }
}

size_t ldns_type_name(uint16_t type, char* out) noexcept {
    const char* name = descriptor(type).name;
    switch (type) {
        case 251: name = "IXFR"; break;
        case 252: name = "AXFR"; break;
        case 253: name = "MAILB"; break;
        case 254: name = "MAILA"; break;
        case 255: name = "ANY"; break;
        default: break;
    }
    if (name != nullptr) {
        const size_t n = std::strlen(name);
        std::memcpy(out, name, n);
        return n;
    }
    return static_cast<size_t>(std::snprintf(out, 16, "TYPE%u", unsigned{type}));
}

size_t ldns_class_name(uint16_t rclass, char* out) noexcept {
    const char* name = nullptr;
    switch (rclass) {
        case 1: name = "IN"; break;
        case 3: name = "CH"; break;
        case 4: name = "HS"; break;
        case 254: name = "NONE"; break;
        case 255: name = "ANY"; break;
        default: break;
    }
    if (name != nullptr) {
        const size_t n = std::strlen(name);
        std::memcpy(out, name, n);
        return n;
    }
    return static_cast<size_t>(std::snprintf(out, 16, "CLASS%u", unsigned{rclass}));
}

std::string_view tstat_type_name(uint16_t type) noexcept {
    switch (type) {
        case 1: return "A";
        case 28: return "AAAA";
        case 5: return "CNAME";
        case 12: return "PTR";
        case 6: return "SOA";
        case 2: return "NS";
        case 15: return "MX";
        case 16: return "TXT";
        case 13: return "HINFO";
        case 44: return "SSHFP";
        case 27: return "GPOS";
        case 29: return "LOC";
        case 48: return "DNSKEY";
        case 51: return "NSEC3PARAM";
        case 50: return "NSEC3";
        case 47: return "NSEC";
        case 46: return "RRSIG";
        case 43: return "DS";
        case 39: return "DNAME";
        case 35: return "NAPTR";
        case 17: return "RP";
        case 33: return "SRV";
        case 99: return "SPF";
        case 64: return "SVCB";
        case 65: return "HTTPS";
        case 32: return "NB";   // NetBIOS reuses NIMLOC's number (Tstat's comment)
        default: return "OTHER";
    }
}

std::string_view tstat_class_name(uint16_t rclass) noexcept {
    switch (rclass) {
        case 1: return "IN";
        case 3: return "CH";
        case 4: return "HS";
        case 254: return "NONE";
        case 255: return "ANY";
        default: return "OTHER";
    }
}

std::string_view tstat_rcode_name(uint8_t rcode) noexcept {
    static constexpr std::string_view kNames[] = {"NO_ERROR", "FORMERR",  "SERVFAIL", "NXDOMAIN",
                                                  "NOTIMPL",  "REFUSED",  "YXDOMAIN", "YXRRSET",
                                                  "NXRRSET",  "NOTAUTH",  "NOTZONE"};
    return rcode < std::size(kNames) ? kNames[rcode] : "UNKNOWN-ERROR";
}

}  // namespace tstat::classify::dns
