// log_chat_complete and log_chat_messages (spec §7.7; tstat/msn.c, ymsg.c, jabber.c): a row
// per MSN, Yahoo or XMPP flow when it ends, and a row per chat message.
#pragma once

#include <vector>

#include "classify/tcp/tcp_events.h"
#include "classify/tcp_l7.h"
#include "flow/tcp/tcp_flow.h"
#include "output/line_buffer.h"
#include "output/logs/periodic_log.h"

namespace tstat::output {

// What the columns of the two logs hold (their headers: classified_logs.h).
const std::vector<ColumnDoc>& chat_complete_columns();
const std::vector<ColumnDoc>& chat_messages_columns();

// Nothing is written for a flow without a chat flow type (chat.kind == kNone).
void format_chat_flow(const flow::tcp::TcpFlow& f, const classify::ChatSummary& chat,
                      uint32_t con_type, LineBuffer& out);

void format_chat_message(const classify::tcp::ChatMessageRow& r, LineBuffer& out);

}  // namespace tstat::output
