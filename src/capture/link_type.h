// Link-type bookkeeping shared by the file readers and live capture: the LINKTYPE_ numbers of
// files vs the platform's DLT_ numbers libpcap uses at run time, and names for describe().
#pragma once

#include <cstdint>
#include <string>

namespace tstat::capture {

// LINKTYPE_ (file) -> DLT_ (libpcap API); the same number for all but a few historic types.
int linktype_to_dlt(uint32_t link_type);
// DLT_ (libpcap API, live capture) -> LINKTYPE_ as stored in RawPacket.
uint32_t dlt_to_linktype(int dlt);
// "Ethernet", "raw IP", ..., or "link type 147".
std::string link_type_name(uint32_t link_type);

}  // namespace tstat::capture
