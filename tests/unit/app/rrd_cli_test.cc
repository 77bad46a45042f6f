// tstat -R rrd.conf -r dir over a trace of our own (spec §11): the files, their data source
// and archives, and the values of each window close read back with librrd.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "stats/rrd/rrd_lib.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace tstat::testing {
namespace {

namespace fs = std::filesystem;

const std::string kTstat = std::string(TSTAT_BINARY_DIR) + "/tstat";
constexpr uint32_t kT0 = 1'700'000'000;

// rrdtool info as name -> printed value (strings unquoted).
std::map<std::string, std::string> info(const std::string& file) {
    std::map<std::string, std::string> out;
    auto api = stats::rrd::rrd_api();
    if (!api) {
        ADD_FAILURE() << api.error();
        return out;
    }
    rrd_info_t* head = (*api)->info_r(file.c_str());
    for (rrd_info_t* i = head; i != nullptr; i = i->next) {
        switch (i->type) {
        case RD_I_VAL: out[i->key] = std::to_string(i->value.u_val); break;
        case RD_I_CNT: out[i->key] = std::to_string(i->value.u_cnt); break;
        case RD_I_STR: out[i->key] = i->value.u_str; break;
        case RD_I_INT: out[i->key] = std::to_string(i->value.u_int); break;
        default: break;
        }
    }
    (*api)->info_free(head);
    return out;
}

void add(PcapWriter& w, const std::vector<TimedFrame>& frames) {
    for (const auto& f : frames)
        w.packet(static_cast<uint32_t>(f.ts.sec()), static_cast<uint32_t>(f.ts.usec()), f.bytes);
}

void tcp_session(PcapWriter& w, int i, uint32_t sec) {
    TcpSession s({"10.0.0." + std::to_string(1 + i), static_cast<uint16_t>(3000 + i)},
                 {"192.0.2.1", 80}, Timestamp::from_parts(sec, 0));
    s.handshake().client_send("hi").server_send("hello").close();
    add(w, s.frames());
}

// Window 1: 3 TCP flows and 1 UDP flow; a lone ACK (no flow) at T0+350 closes it.
// With `second_window`, 2 more TCP flows at T0+400 go to the last window.
std::vector<uint8_t> trace(bool second_window) {
    PcapWriter w;
    for (int i = 0; i < 3; ++i) tcp_session(w, i, kT0 + static_cast<uint32_t>(i));
    w.packet(kT0 + 10, 0,
             PacketBuilder().ethernet().ipv4("10.0.0.9", "192.0.2.53").udp(5353, 53)
                 .payload("query").build());
    w.packet(kT0 + 350, 0,
             PacketBuilder().ethernet().ipv4("10.0.0.8", "192.0.2.1").tcp(4000, 80)
                 .flags(0x10).build());
    if (second_window)
        for (int i = 3; i < 5; ++i) tcp_session(w, i, kT0 + 400);
    return w.bytes();
}

class RrdCli : public ::testing::Test {
protected:
    ScratchDir dir;

    int run(const std::vector<uint8_t>& pcap, const std::string& conf_text,
            const std::string& rrd_dir, std::string* err = nullptr) {
        write_file(dir.file("t.pcap"), pcap);
        std::ofstream(dir.file("rrd.conf")) << conf_text;
        const std::string cmd = "TZ=UTC " + kTstat + " -R " + dir.file("rrd.conf") + " -r " +
                                rrd_dir + " -s " + dir.file("out") + " " + dir.file("t.pcap") +
                                " >/dev/null 2>" + dir.file("err");
        const int st = std::system(cmd.c_str());
        if (err != nullptr) {
            std::ifstream e(dir.file("err"));
            *err = std::string(std::istreambuf_iterator<char>(e), {});
        }
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    }
};

const char* kConf = "L4_flow_number avg max hit idx:0,1\n";

TEST_F(RrdCli, FilesDataSourceAndArchives) {
    const std::string rrd = dir.file("rrd/deep");   // made with mkdir -p
    ASSERT_EQ(run(trace(true), kConf, rrd), 0);
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(rrd)) names.insert(e.path().filename());
    EXPECT_EQ(names, (std::set<std::string>{"L4_flow_number.avg.rrd", "L4_flow_number.max.rrd",
                                            "L4_flow_number.hit.rrd",
                                            "L4_flow_number.idx0.rrd",
                                            "L4_flow_number.idx1.rrd"}));
    auto i = info(rrd + "/L4_flow_number.idx0.rrd");
    EXPECT_EQ(i["step"], "300");
    EXPECT_EQ(i["ds[L4_flow_number].type"], "GAUGE");
    EXPECT_EQ(i["ds[L4_flow_number].minimal_heartbeat"], "600");
    const char* rows[] = {"600", "700", "775", "797"};
    const char* per_row[] = {"1", "6", "24", "288"};
    for (int k = 0; k < 4; ++k) {
        const std::string r = "rra[" + std::to_string(k) + "]";
        EXPECT_EQ(i[r + ".cf"], "AVERAGE");
        EXPECT_EQ(i[r + ".rows"], rows[k]);
        EXPECT_EQ(i[r + ".pdp_per_row"], per_row[k]);
    }
    EXPECT_EQ(i.count("rra[4].cf"), 0u);
    // The last window: 2 TCP flows, no UDP flow, updated at the last packet's second.
    EXPECT_EQ(i["last_update"], std::to_string(kT0 + 400));
    EXPECT_EQ(i["ds[L4_flow_number].last_ds"], "2.000000");
    EXPECT_EQ(info(rrd + "/L4_flow_number.idx1.rrd")["ds[L4_flow_number].last_ds"], "0.000000");
    EXPECT_EQ(info(rrd + "/L4_flow_number.hit.rrd")["ds[L4_flow_number].last_ds"], "2.000000");
    EXPECT_EQ(info(rrd + "/L4_flow_number.avg.rrd")["ds[L4_flow_number].last_ds"], "0.000000");
}

TEST_F(RrdCli, FirstWindowValuesAndOneUpdateASecond) {
    // The trace ends with the packet that closes window 1: the last window's update falls
    // in the same second and is skipped, so the files hold window 1.
    const std::string rrd = dir.file("rrd");
    ASSERT_EQ(run(trace(false), kConf, rrd), 0);
    auto last_ds = [&](const char* stat) {
        return info(rrd + "/L4_flow_number." + stat + ".rrd")["ds[L4_flow_number].last_ds"];
    };
    EXPECT_EQ(info(rrd + "/L4_flow_number.idx0.rrd")["last_update"], std::to_string(kT0 + 350));
    EXPECT_EQ(last_ds("idx0"), "3.000000");
    EXPECT_EQ(last_ds("idx1"), "1.000000");
    EXPECT_EQ(last_ds("hit"), "4.000000");
    EXPECT_EQ(last_ds("avg"), "0.250000");   // samples 0, 0, 0, 1
    EXPECT_EQ(last_ds("max"), "1.000000");
}

TEST_F(RrdCli, ExistingDatabasesAreReusedAndOlderUpdatesReported) {
    // A second run over the same trace and folder: the databases exist (kept, not remade),
    // and librrd refuses updates older than their last one, which tstat reports by file.
    const std::string rrd = dir.file("rrd");
    ASSERT_EQ(run(trace(true), kConf, rrd), 0);
    std::string err;
    EXPECT_EQ(run(trace(true), kConf, rrd, &err), 0);
    const std::string file = rrd + "/L4_flow_number.idx0.rrd";
    EXPECT_NE(err.find(file + ": RRD update " + std::to_string(kT0 + 350) + ":3.000000 failed: "
                       "illegal attempt to update"),
              std::string::npos)
        << err;
    EXPECT_EQ(err.find(file + ": " + file), std::string::npos) << err;   // named once
    EXPECT_EQ(info(file)["ds[L4_flow_number].last_ds"], "2.000000");
}

TEST_F(RrdCli, ConfigurationErrorsStopBeforeAnyPacket) {
    std::string err;
    EXPECT_NE(run(trace(false), "ip_len_loc avg\nnot_a_histogram idx:1\n", dir.file("rrd"), &err),
              0);
    EXPECT_NE(err.find("rrd.conf:2"), std::string::npos) << err;
    EXPECT_NE(err.find("not_a_histogram"), std::string::npos) << err;
    // -R needs -r.
    write_file(dir.file("t.pcap"), trace(false));
    const std::string cmd = kTstat + " -R " + dir.file("rrd.conf") + " -s " + dir.file("o") +
                            " " + dir.file("t.pcap") + " >/dev/null 2>&1";
    EXPECT_NE(std::system(cmd.c_str()), 0);
}

}  // namespace
}  // namespace tstat::testing
