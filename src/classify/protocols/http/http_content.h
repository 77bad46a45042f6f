// HTTP content classes (spec §9.3; tstat/web.c classify_http_get / classify_http_post): Tstat
// guesses what a flow carries from the request line of a GET or POST, by matching the path
// against a table of service-specific prefixes. YouTube requests also yield the video
// details of log_video_complete (id, format, seek, redirections, device, stream kind).
#pragma once

#include <cstdint>
#include <string_view>

#include "classify/bounded_string.h"

namespace tstat::classify::http {

// enum http_content (tstat/struct.h); log_tcp_complete prints value + 1 for HTTP flows.
enum class Content : uint8_t {
    kGet = 0,
    kPost,
    kMsn,
    kRtmpt,
    kYoutubeVideo,
    kVideoContent,
    kVimeo,
    kWiki,
    kRapidshare,
    kMegaupload,
    kFacebook,
    kAdv,
    kFlickr,
    kGmaps,
    kNetflix,
    kYoutubeSite,
    kSocial,
    kFlashvideo,
    kMediafire,
    kHotfile,
    kStorage,
    kYoutube204,
    kYoutubeVideo204,
    kYoutubeSiteDirect,
    kYoutubeSiteEmbed,
    kTwitter,
    kDropbox,
};

// Tstat's yt_* globals as one classification leaves them. Start from defaults ("--", 0):
// every path that returns a YouTube video class sets all of them itself.
struct YoutubeInfo {
    BoundedString<49> id = std::string_view("--");
    BoundedString<4> itag = std::string_view("--");
    int32_t seek = 0;
    int32_t redir_mode = 0;
    int32_t redir_count = 0;
    int32_t mobile = 0;   // 0 desktop, 1 other, 2 Apple, 3 Android
    int32_t stream = 0;   // 0 progressive, 1 HLS, 2 HLS live, 3 ad, 4 HLS live variant, 5 FLV
};

// `payload` starts with "GET " / "POST" (data_length bytes captured, zero beyond).
Content classify_get(const uint8_t* payload, int32_t data_length, YoutubeInfo& yt);
Content classify_post(const uint8_t* payload, int32_t data_length, YoutubeInfo& yt);

// Whether a class is one of YouTube's (the flow then keeps the YouTube details).
bool is_youtube(Content c);

// YouTube id conversions of the video log (tstat/misc.c id11to16, id16to11): "--" when the
// input does not have the expected length.
BoundedString<16> id11_to_16(std::string_view id11);
BoundedString<11> id16_to_11(std::string_view id16);

}  // namespace tstat::classify::http
