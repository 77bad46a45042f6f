// Which addresses Crypto-PAn hides (spec §13): those inside a -Y network and not inside a -W
// (whitelist) network. Decided from the packet's addresses when a flow opens, before -A
// obfuscation, as Tstat's crypto_ip(); the flow keeps the answer in its iscrypto flags.
#pragma once

#include "common/ip_address.h"
#include "common/net_list.h"

namespace tstat::output::anonymize {

class CryptoNets {
  public:
    CryptoNets() = default;
    CryptoNets(NetList crypto, NetList white)
        : crypto_(std::move(crypto)), white_(std::move(white)), active_(true) {}

    bool active() const { return active_; }
    bool contains(const IpAddress& a) const {
        return active_ && crypto_.contains(a) && !white_.contains(a);
    }

  private:
    NetList crypto_;
    NetList white_;
    bool active_ = false;
};

}  // namespace tstat::output::anonymize
