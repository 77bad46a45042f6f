#include "classify/classifier.h"

namespace tstat::classify {

// No application-layer engine is built yet: every flow reports what Tstat prints when
// nothing is detected (TcpL7/UdpL7/DnsLabel defaults).

void Classifier::tcp_opened(flow::tcp::TcpFlow&) {}
void Classifier::tcp_packet(flow::tcp::TcpFlow&, flow::Dir, const decode::DecodedPacket&) {}
void Classifier::tcp_closed(flow::tcp::TcpFlow&, TcpL7&, DnsLabel&) {}

void Classifier::udp_opened(flow::udp::UdpFlow&) {}
void Classifier::udp_packet(flow::udp::UdpFlow&, flow::Dir, const decode::DecodedPacket&) {}
void Classifier::udp_closed(flow::udp::UdpFlow&, UdpL7&, DnsLabel&) {}

}  // namespace tstat::classify
