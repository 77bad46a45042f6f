#include "classify/protocols/edonkey/edonkey_matcher.h"

#include <initializer_list>

namespace tstat::classify::edonkey {

namespace {

bool in(int v, std::initializer_list<int> set) {
    for (int x : set)
        if (x == v) return true;
    return false;
}

// Opcodes search_all_edk accepts when the message spans several segments.
bool edonkey_opcode(int op) {
    return in(op, {0x01, 0x05, 0x14, 0x15, 0x16, 0x18, 0x19, 0x1A, 0x1C, 0x1D, 0x1E, 0x1F, 0x21,
                   0x23, 0x32, 0x33, 0x34, 0x35, 0x36, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x40,
                   0x41, 0x42, 0x43, 0x44, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F,
                   0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5B, 0x5C, 0x5D,
                   0x5E, 0x5F, 0x60, 0x61});
}
bool emule_opcode(int op) {
    return in(op, {0x01, 0x02, 0x60, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x90, 0x91, 0x92,
                   0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F,
                   0xA0, 0xA1, 0xA2, 0xA3, 0xA4});
}

}  // namespace

Match search_all_edk(Segment seg) {
    Match m;
    const uint8_t type = seg.at(0);
    if (type != 0xe3 && type != 0xc5 && type != 0xd4) return m;
    m.type = type;
    m.opcode = seg.at(5);
    const int op = m.opcode;
    // get_u16 on a little-endian host: bytes 1 and 2, low byte first.
    const int cmd = seg.at(1) | seg.at(2) << 8;
    if (cmd == seg.payload_len - 5) {   // the whole message in this segment
        switch (op) {
            case 0x01: m.code = kProtocol * 100 + 1; break;
            case 0x4c: m.code = kProtocol * 100 + 9; break;
            case 0x40:
                m.code = kProtocol * 100 + (type == 0xc5 || type == 0xd4 ? 3 : op % 100);
                break;
            case 0x46: m.code = kProtocol * 100 + (type == 0xe3 ? 4 : op % 100); break;
            default: m.code = kProtocol * 100 + op % 100; break;
        }
        return m;
    }
    if (seg.at(3) == 0 && seg.at(4) == 0) {
        // Perhaps a message larger than one segment: accept the known opcodes.
        if (type == 0xe3) {
            if (op == 0x46)
                m.code = kProtocol * 100 + 4;
            else if (edonkey_opcode(op))
                m.code = kProtocol * 100 + op % 100;
        } else {
            // 0xd4 knows 0x15 and, falling through in Tstat's switch, the 0xc5 opcodes.
            if (type == 0xd4 && op == 0x15)
                m.code = kProtocol * 100 + op % 100;
            else if (op == 0x40)
                m.code = kProtocol * 100 + 3;
            else if (emule_opcode(op))
                m.code = kProtocol * 100 + op % 100;
        }
    }
    return m;
}

bool is_data(int type, int opcode) {
    return (type == 0xE3 && opcode == 0x46) || (type == 0xD4 && opcode == 0x40) ||
           (type == 0xC5 && opcode == 0x40);
}

bool is_client_server(int type, int opcode) {
    if (type == 0xe3)
        return in(opcode, {0x01, 0x05, 0x14, 0x15, 0x16, 0x18, 0x19, 0x1A, 0x1C, 0x1D, 0x1E, 0x1F,
                           0x21, 0x32, 0x33, 0x34, 0x35, 0x36, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D,
                           0x40, 0x41, 0x42, 0x43, 0x23, 0x44});
    if (type == 0xd4) return opcode == 0x15;
    return false;
}

bool is_chat(int type, int opcode) { return type == 0xe3 && opcode == 0x4E; }

}  // namespace tstat::classify::edonkey
