#include "classify/protocols/http/http_content.h"

#include <cstring>

namespace tstat::classify::http {

namespace {

bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
bool is_xdigit(uint8_t c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_lower_hex(uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_alnum(uint8_t c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_id_char(uint8_t c) { return is_alnum(c) || c == '-' || c == '_'; }   // [A-Za-z0-9_-]

// The request path seen by web.c: `base` is the payload after the method and its space,
// `avail` the bytes captured from there (Tstat's available_data). Bytes past the capture read
// as zero.
class Path {
public:
    Path(const uint8_t* payload, int32_t data_length, int skip)
        : base_(payload + skip), avail_(data_length - skip) {}

    int32_t avail() const { return avail_; }
    uint8_t at(int64_t i) const { return i >= 0 && i < avail_ ? base_[i] : 0; }

    // memcmp(base + off, lit, n) == 0. The literal is its characters and a NUL; Tstat's longer
    // compare lengths read past the literal into unrelated memory: never equal here.
    bool cmp(int64_t off, std::string_view lit, int64_t n) const {
        for (int64_t i = 0; i < n; ++i) {
            const auto k = static_cast<size_t>(i);
            if (k > lit.size()) return false;
            const uint8_t want = k < lit.size() ? static_cast<uint8_t>(lit[k]) : 0;
            if (at(off + i) != want) return false;
        }
        return true;
    }
    // memcmp(base + off, lit, strlen(lit)) == 0
    bool eq(int64_t off, std::string_view lit) const {
        return cmp(off, lit, static_cast<int64_t>(lit.size()));
    }
    // The usual web.c test: memcmp(base, lit, min(avail, n)) == 0.
    bool pm(std::string_view lit, int64_t n) const { return cmp(0, lit, avail_ < n ? avail_ : n); }
    bool pm(std::string_view lit) const { return pm(lit, static_cast<int64_t>(lit.size())); }
    // memcmp(base + off, lit, min(avail - off, n)) == 0
    bool pm_at(int64_t off, std::string_view lit) const {
        const int64_t n = static_cast<int64_t>(lit.size());
        return cmp(off, lit, avail_ - off < n ? avail_ - off : n);
    }

    // Tstat copies up to `cap` bytes into match_buffer and runs regexec() on the C string.
    std::string_view match_buffer(int32_t cap) const {
        const int32_t n = avail_ < cap ? avail_ : cap;
        if (n <= 0) return {};
        const auto len = static_cast<size_t>(n);
        const void* nul = std::memchr(base_, 0, len);
        return {reinterpret_cast<const char*>(base_),
                nul ? static_cast<size_t>(static_cast<const uint8_t*>(nul) - base_) : len};
    }

private:
    const uint8_t* base_;
    int32_t avail_;
};

using Pred = bool (*)(uint8_t);

uint8_t ch(std::string_view s, size_t i) { return i < s.size() ? static_cast<uint8_t>(s[i]) : 0; }
bool amp_or_space(uint8_t c) { return c == '&' || c == ' '; }

// The regexes of web.c, each a leftmost match over a C string, returning group 1.

// [?&]KEY(CLASS{n})[& ] (also "o-" prefixed ids: `head` is part of the group).
bool param_fixed(std::string_view s, std::string_view key, std::string_view head, Pred cls,
                 size_t n, std::string_view& group) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '?' && s[i] != '&') continue;
        if (s.substr(i + 1, key.size()) != key) continue;
        const size_t g = i + 1 + key.size();
        if (s.substr(g, head.size()) != head) continue;
        size_t k = 0;
        while (k < n && cls(ch(s, g + head.size() + k))) ++k;
        if (k == n && amp_or_space(ch(s, g + head.size() + n))) {
            group = s.substr(g, head.size() + n);
            return true;
        }
    }
    return false;
}

// [?&]KEY([0-9]+)[& ]
bool param_digits(std::string_view s, std::string_view key, std::string_view& group) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '?' && s[i] != '&') continue;
        if (s.substr(i + 1, key.size()) != key) continue;
        const size_t g = i + 1 + key.size();
        size_t e = g;
        while (is_digit(ch(s, e))) ++e;
        if (e > g && amp_or_space(ch(s, e))) {
            group = s.substr(g, e - g);
            return true;
        }
    }
    return false;
}

// [?&]KEY([^&]+)[& ]: the longest match ends at the '&' closing the value, else at its last
// space.
bool param_until_amp(std::string_view s, std::string_view key, std::string_view& group) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '?' && s[i] != '&') continue;
        if (s.substr(i + 1, key.size()) != key) continue;
        const size_t g = i + 1 + key.size();
        size_t e = g;
        while (e < s.size() && s[e] != '&') ++e;
        if (e < s.size() && e > g) {
            group = s.substr(g, e - g);
            return true;
        }
        for (size_t t = e; t > g + 1; --t) {
            if (s[t - 1] == ' ') {
                group = s.substr(g, t - 1 - g);
                return true;
            }
        }
    }
    return false;
}

// [?&]KEY([^& ]+)[& ]
bool param_token(std::string_view s, std::string_view key, std::string_view& group) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '?' && s[i] != '&') continue;
        if (s.substr(i + 1, key.size()) != key) continue;
        const size_t g = i + 1 + key.size();
        size_t e = g;
        while (e < s.size() && !amp_or_space(static_cast<uint8_t>(s[e]))) ++e;
        if (e > g && e < s.size()) {
            group = s.substr(g, e - g);
            return true;
        }
    }
    return false;
}

// [?&]st=(lc|nx|tcts)[& ]
bool param_st(std::string_view s, std::string_view& group) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '?' && s[i] != '&') continue;
        if (s.substr(i + 1, 3) != "st=") continue;
        for (std::string_view alt : {std::string_view("lc"), std::string_view("nx"),
                                     std::string_view("tcts")}) {
            if (s.substr(i + 4, alt.size()) == alt && amp_or_space(ch(s, i + 4 + alt.size()))) {
                group = s.substr(i + 4, alt.size());
                return true;
            }
        }
    }
    return false;
}

// [?&]?video_id=([A-Za-z0-9_-]{11})[& ]
bool param_video_id(std::string_view s, std::string_view& group) {
    for (size_t p = s.find("video_id="); p != std::string_view::npos;
         p = s.find("video_id=", p + 1)) {
        const size_t g = p + 9;
        size_t k = 0;
        while (k < 11 && is_id_char(ch(s, g + k))) ++k;
        if (k == 11 && amp_or_space(ch(s, g + 11))) {
            group = s.substr(g, 11);
            return true;
        }
    }
    return false;
}

// PREFIX(CLASS{n})END, e.g. /id/([0-9a-f]{16})/
bool segment_fixed(std::string_view s, std::string_view prefix, std::string_view head, Pred cls,
                   size_t n, char end, std::string_view& group) {
    for (size_t p = s.find(prefix); p != std::string_view::npos; p = s.find(prefix, p + 1)) {
        const size_t g = p + prefix.size();
        if (s.substr(g, head.size()) != head) continue;
        size_t k = 0;
        while (k < n && cls(ch(s, g + head.size() + k))) ++k;
        if (k == n && ch(s, g + head.size() + n) == static_cast<uint8_t>(end)) {
            group = s.substr(g, head.size() + n);
            return true;
        }
    }
    return false;
}

// PREFIX(run of chars not in `stop`)[one of `ends`]
bool segment_run(std::string_view s, std::string_view prefix, std::string_view stop,
                 std::string_view ends, std::string_view& group) {
    for (size_t p = s.find(prefix); p != std::string_view::npos; p = s.find(prefix, p + 1)) {
        const size_t g = p + prefix.size();
        size_t e = g;
        while (e < s.size() && stop.find(s[e]) == std::string_view::npos) ++e;
        if (e > g && e < s.size() && ends.find(s[e]) != std::string_view::npos) {
            group = s.substr(g, e - g);
            return true;
        }
    }
    return false;
}

// /itag/([0-9]+)/
bool segment_digits(std::string_view s, std::string_view prefix, std::string_view& group) {
    for (size_t p = s.find(prefix); p != std::string_view::npos; p = s.find(prefix, p + 1)) {
        const size_t g = p + prefix.size();
        size_t e = g;
        while (is_digit(ch(s, e))) ++e;
        if (e > g && ch(s, e) == '/') {
            group = s.substr(g, e - g);
            return true;
        }
    }
    return false;
}

// /[0-9]{8,15}/picture[?/ ]
bool facebook_picture(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '/') continue;
        size_t e = i + 1;
        while (is_digit(ch(s, e))) ++e;
        const size_t n = e - i - 1;
        if (n >= 8 && n <= 15 && s.substr(e, 8) == "/picture") {
            const uint8_t c = ch(s, e + 8);
            if (c == '?' || c == '/' || c == ' ') return true;
        }
    }
    return false;
}

bool is_lower_hex_pred(uint8_t c) { return is_lower_hex(c); }
bool is_id_pred(uint8_t c) { return is_id_char(c); }

template <size_t N>
void set(BoundedString<N>& out, std::string_view v) {
    out.assign(v.substr(0, N));
}

// sscanf("%d") of a run of digits (at most `max` characters copied, as Tstat's buffers).
int32_t leading_int(std::string_view v, size_t max) {
    v = v.substr(0, max);
    int64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') break;
        n = n * 10 + (c - '0');
        if (n > 0x7fffffff) n = 0x7fffffff;
    }
    return static_cast<int32_t>(n);
}

enum Param { kApp = 0, kClient = 1, kKey = 2, kAndroidCid = 3 };

// /videoplayback? and /generate_204?: device, format, id, seek and redirections.
void youtube_progressive(std::string_view mb, YoutubeInfo& yt) {
    std::string_view param[4];
    bool found[4] = {false, false, false, false};
    found[kApp] = param_until_amp(mb, "app=", param[kApp]);
    found[kClient] = param_until_amp(mb, "client=", param[kClient]);
    found[kKey] = param_token(mb, "key=", param[kKey]);
    found[kAndroidCid] = param_token(mb, "androidcid=", param[kAndroidCid]);
    for (auto& p : param) p = p.substr(0, 79);
    auto starts = [](std::string_view s, std::string_view lit) { return s.substr(0, lit.size()) == lit; };

    int mobile2 = 0;
    int mobile_set = 0;
    const bool other_key = found[kKey] && !starts(param[kKey], "yt1") &&
                           !starts(param[kKey], "dg_yt0") && !starts(param[kKey], "yt5") &&
                           !starts(param[kKey], "cms1");
    if (found[kKey] && starts(param[kKey], "yt1")) {
        if (found[kApp]) {
            mobile_set = 1;
            if (starts(param[kApp], "youtube_mobile")) mobile2 = 1;
        }
    } else if (other_key) {
        mobile2 = 1;
        mobile_set = 1;
    }
    int device2 = 1;
    if (found[kClient] && (starts(param[kClient], "ytapi-apple") || starts(param[kClient], "iPhone")))
        device2 = 2;
    else if (found[kClient] && starts(param[kClient], "mvapp-android"))
        device2 = 3;
    else if (found[kAndroidCid])
        device2 = 3;

    std::string_view g;
    if (param_digits(mb, "itag=", g)) set(yt.itag, g);
    if (param_fixed(mb, "id=", "", is_lower_hex_pred, 16, g) ||
        param_fixed(mb, "id=", "o-", is_id_pred, 44, g))
        set(yt.id, g);
    yt.seek = param_digits(mb, "begin=", g) ? leading_int(g, 9) : 0;

    int st_mode = 0, rc_mode = 0, rc_count = 0;
    if (param_st(mb, g)) st_mode = g == "lc" ? 1 : g == "nx" ? 2 : 3;
    if (param_digits(mb, "redirect_counter=", g)) {
        rc_mode = 1;
        rc_count = leading_int(g, 4);
    }
    if (rc_mode == 0 && st_mode == 0) {
        yt.redir_mode = 0;
        yt.redir_count = 0;
    } else if (rc_mode == 1 && st_mode == 0) {
        yt.redir_mode = 1;
        yt.redir_count = rc_count;
    } else if (rc_mode == 1 && st_mode == 3) {
        yt.redir_mode = 2;
        yt.redir_count = rc_count + 1;
    } else if (rc_mode == 1 && st_mode == 2) {
        yt.redir_mode = 3;
        yt.redir_count = rc_count + 1;
    } else if (rc_mode == 0 && st_mode == 1) {
        yt.redir_mode = 4;
        yt.redir_count = 1;
    } else if (rc_mode == 0 && st_mode == 2) {
        yt.redir_mode = 5;
        yt.redir_count = 1;
    } else {
        yt.redir_mode = 6;
        yt.redir_count = rc_count + 1;
    }
    yt.mobile = (mobile_set == 0 && mobile2 == 0) ? 0 : device2;
    yt.stream = 0;
}

// /hls_stream.ts? and /liveplay?: live streams.
void youtube_live(std::string_view mb, int stream, YoutubeInfo& yt) {
    std::string_view g;
    if (param_digits(mb, "itag=", g)) set(yt.itag, g);
    if (param_fixed(mb, "id=", "", is_id_pred, 11, g) ||
        param_fixed(mb, "id=", "", is_lower_hex_pred, 16, g) ||
        segment_fixed(mb, "/id/", "o-", is_id_pred, 44, '/', g))
        set(yt.id, g);
    yt.mobile = 0;   // key=... is read but both branches say desktop
    yt.stream = stream;
    yt.seek = 0;
    yt.redir_mode = 0;
    yt.redir_count = 0;
}

// /videoplayback/ (path parameters): HLS, live or advertisement.
void youtube_path(std::string_view mb, YoutubeInfo& yt) {
    std::string_view g;
    if (segment_digits(mb, "/itag/", g)) set(yt.itag, g);
    if (segment_fixed(mb, "/id/", "", is_id_pred, 11, '.', g) ||
        segment_fixed(mb, "/id/", "", is_lower_hex_pred, 16, '/', g) ||
        segment_fixed(mb, "/id/", "o-", is_id_pred, 44, '/', g))
        set(yt.id, g);
    yt.mobile = 0;
    yt.stream = 0;
    const bool android_cid = param_token(mb, "androidcid=", g);
    std::string_view source;
    const bool has_source = segment_run(mb, "/source/", "/", "/", source);
    source = has_source ? source.substr(0, 79) : std::string_view();
    auto starts = [](std::string_view s, std::string_view lit) { return s.substr(0, lit.size()) == lit; };
    if (starts(source, "yt_live_"))
        yt.stream = 2;
    else if (starts(source, "youtube"))
        yt.stream = 1;
    else
        yt.stream = 3;
    std::string_view key;
    if (!segment_run(mb, "/key/", "/?", "/?", key)) param_token(mb, "key=", key);
    key = key.substr(0, 79);
    if (starts(key, "dg_yt0") && yt.stream != 2) yt.mobile = android_cid ? 3 : 2;
    yt.seek = 0;
    yt.redir_mode = 0;
    yt.redir_count = 0;
}

// /watch?v=, /embed/, /v/: an 11-character id from fixed positions.
bool id11_at(const Path& p, int64_t from) {
    for (int64_t i = from; i < from + 11; ++i)
        if (!is_id_char(p.at(i))) return false;
    return true;
}
void take_id11(const Path& p, int64_t from, YoutubeInfo& yt) {
    char id[11];
    for (int i = 0; i < 11; ++i) id[i] = static_cast<char>(p.at(from + i));
    yt.id.assign(std::string_view(id, 11));
}

Content classify_flickr(const Path& b, int32_t avail) {
    int i = 3;
    bool status1 = false, status2 = false;
    while (i < 6) {
        const uint8_t c = b.at(i);
        if (c == '/') {
            status2 = true;
            break;
        }
        if (!is_digit(c)) {
            status1 = true;
            break;
        }
        ++i;
    }
    if (!status1 && status2) {
        int digit_count = 0;
        status1 = status2 = false;
        ++i;
        while (i < 20) {
            const uint8_t c = b.at(i);
            if (c == '_') {
                status2 = true;
                break;
            }
            if (!is_digit(c)) {
                status1 = true;
                break;
            }
            ++digit_count;
            ++i;
        }
        if (!status1 && status2 && digit_count > 8) {
            status1 = false;
            ++i;
            digit_count = 0;
            while (digit_count < 10 && i < avail) {
                if (!is_xdigit(b.at(i))) {
                    status1 = true;
                    break;
                }
                ++i;
                ++digit_count;
            }
            if (!status1 && digit_count == 10) return Content::kFlickr;
        }
    }
    return Content::kGet;
}

// Digits and slashes from offset 3 up to `limit`; returns the first other offset, or -1.
int first_non_digit_slash(const Path& b, int limit) {
    for (int i = 3; i < limit; ++i) {
        const uint8_t c = b.at(i);
        if (c != '/' && !is_digit(c)) return i;
    }
    return -1;
}

Content classify_social(const Path& b) {
    const int i = first_non_digit_slash(b, 16);
    if (i >= 0 && (b.pm_at(i, "thumb/") || b.pm_at(i, "other/") || b.pm_at(i, "main/")))
        return Content::kSocial;
    return Content::kGet;
}

Content classify_vimeo(const Path& b) {
    const int i = first_non_digit_slash(b, 23);
    if (i >= 0 && (b.pm_at(i, ".mp4?ak") || b.pm_at(i, ".mp4?token"))) return Content::kVimeo;
    return Content::kGet;
}

bool all_digits(const Path& b, int64_t from, int64_t to) {
    for (int64_t i = from; i < to; ++i)
        if (!is_digit(b.at(i))) return false;
    return true;
}

// The "case 'a'" /ajax/ sub-table of classify_http_get.
Content ajax_get(const Path& b) {
    auto a = [&](std::string_view lit) { return b.pm_at(6, lit); };
    switch (b.at(6)) {
        case 'a':
            if (a("apps/usage_update.php")) return Content::kFacebook;
            break;
        case 'b':
            if (a("browse_history.php")) return Content::kFacebook;
            break;
        case 'c':
            if (a("chat/") || a("composer/") || a("ct.php?")) return Content::kFacebook;
            break;
        case 'e':
            if (a("ego_height.php")) return Content::kFacebook;
            break;
        case 'f':
            if (a("f2.php?") || a("feed/") || a("f.php?")) return Content::kFacebook;
            break;
        case 'g':
            if (a("gigaboxx/")) return Content::kFacebook;
            break;
        case 'h':
            if (a("hovercard/") || a("home/")) return Content::kFacebook;
            break;
        case 'i':
            if (a("intent.php")) return Content::kFacebook;
            break;
        case 'l':
            if (a("like/participants.php") || a("log_ticker_render.php")) return Content::kFacebook;
            break;
        case 'n':
            if (a("nectar.php") || a("nectar_photos.php") || a("notes_upload_ajax.php") ||
                a("notifications/"))
                return Content::kFacebook;
            break;
        case 'p': {
            const int64_t rest = b.avail() - 6;
            if (a("presence/") || a("profile/") ||
                b.cmp(6, "photos", rest < 8 ? rest : 8) ||   // Tstat compares 8 bytes of "photos"
                a("pagelet/generic.php"))
                return Content::kFacebook;
            break;
        }
        case 'r':
            if (a("recent_pics.php")) return Content::kFacebook;
            break;
        case 's':
            if (a("share_dialog.php") || a("stream/profile.php")) return Content::kFacebook;
            break;
        case 't':
            if (a("typeahead")) return Content::kFacebook;
            break;
        case 'v':
            if (a("video/")) return Content::kFacebook;
            break;
        default:
            break;
    }
    return Content::kGet;
}

// The rules after the per-letter switch: Akamai-style Facebook CDN paths, MediaFire and
// MegaUpload file names.
Content tail_rules(const Path& b) {
    const int32_t avail = b.avail();
    if (avail > 14 && (b.eq(6, "-ak-") || b.eq(7, "-ak-") || b.eq(8, "-ak-") || b.eq(9, "-ak-")))
        return Content::kFacebook;
    if (avail > 14 && b.at(3) == '_' && b.eq(6, "/all.js")) return Content::kFacebook;
    if (avail > 36 && b.at(12) == 'g' && b.at(13) == '/' && (b.at(25) == '/' || b.at(29) == '/')) {
        // MediaFire: ' /[^/_]{11}g/[^/ ]{11 or 15}/[^/]+ '
        bool status1 = false;
        for (int i = 1; i < 12; ++i) {
            const uint8_t c = b.at(i);
            if (c == '/' || c == '_') {
                status1 = true;
                break;
            }
        }
        if (!status1) {
            const int limit = b.at(25) == '/' ? 25 : 29;
            bool status2 = false;
            for (int i = 14; i < limit; ++i) {
                const uint8_t c = b.at(i);
                if (c == '/' || c == ' ') {
                    status2 = true;
                    break;
                }
            }
            if (!status2) {
                status1 = status2 = false;
                int i = limit + 1;
                for (; i < avail; ++i) {
                    const uint8_t c = b.at(i);
                    if (c == '/') {
                        status1 = true;
                        break;
                    }
                    if (c == ' ') {
                        status2 = true;
                        break;
                    }
                }
                if (!status1 && (status2 || i == avail)) return Content::kMediafire;
            }
        }
        return Content::kGet;
    }
    if (avail > 43 && b.at(41) == ' ') {
        for (int i = 1; i < 41; ++i) {
            const uint8_t c = b.at(i);
            if (!(is_xdigit(c) && ((c >= 'a' && c <= 'z') || is_digit(c)))) return Content::kGet;
        }
        return Content::kMegaupload;
    }
    return Content::kGet;
}

}  // namespace

bool is_youtube(Content c) {
    return c == Content::kYoutubeVideo || c == Content::kYoutubeSite ||
           c == Content::kYoutubeSiteDirect || c == Content::kYoutubeSiteEmbed ||
           c == Content::kYoutubeVideo204 || c == Content::kYoutube204;
}

Content classify_get(const uint8_t* payload, int32_t data_length, YoutubeInfo& yt) {
    const Path b(payload, data_length, 4);
    const int32_t avail = b.avail();
    if (avail < 1) return Content::kGet;
    if (b.at(0) != '/') return Content::kGet;
    auto pm = [&](std::string_view lit) { return b.pm(lit); };

    switch (b.at(1)) {
        case 'A':
            if (pm("/ADSAdClient")) return Content::kAdv;
            break;
        case 'a':
            // Tstat compares 21 bytes of the 11-character literal (never equal) unless the
            // capture is shorter than 11 bytes.
            if (b.pm("/api/stats/", avail < 11 ? avail : 21)) return Content::kYoutubeSite;
            if (pm("/ads3/flyers/") || pm("/ads2/flyers/") || pm("/ads-ak-snc") ||
                pm("/album.php?") || pm("/apps/application.php") || pm("/ai.php?aed="))
                return Content::kFacebook;
            if (pm("/adj/")) return Content::kAdv;
            if (pm("/ajax_boxes/last_photos")) return Content::kSocial;
            if (avail > 10 && b.eq(0, "/ajax/")) {
                const Content c = ajax_get(b);
                if (c != Content::kGet) return c;
            } else if (avail > 19 && b.eq(0, "/albums_list/") && all_digits(b, 13, 19)) {
                return Content::kSocial;
            }
            break;
        case 'b':
            if (pm("/blog/ajax_")) return Content::kSocial;
            break;
        case 'B':
            if (pm("/Bursting")) return Content::kAdv;
            break;
        case 'c':
            if (pm("/cgi-bin/rsapi.cgi")) return Content::kRapidshare;
            if (pm("/cgi-bin/m?ci=") || pm("/cgi-bin/m?rnd=") || pm("/cgi-bin/count?cid=") ||
                pm("/cgi-bin/count?url=") || pm("/cgi-bin/count?rnd="))
                return Content::kAdv;
            if (pm("/cbk?output=")) return Content::kGmaps;
            if (pm("/connect.php/") || pm("/connect/connect.php") || pm("/connect/xd_proxy.php") ||
                pm("/connect/xd_arbiter/") || pm("/connect/xd_arbiter.php") || pm("/cfs-ak-") ||
                pm("/cfs-l3-") || pm("/common/history_manager.php") ||
                pm("/common/redirectiframe.html"))
                return Content::kFacebook;
            if (avail > 30 && b.eq(0, "/common/image/")) {
                if (b.eq(14, "albums/") || b.eq(14, "card/") || b.eq(14, "clearbox/") ||
                    b.eq(14, "emoticons/") || b.eq(14, "facelift/") || b.eq(14, "flash/") ||
                    b.eq(14, "icon_") || b.eq(14, "logo_") || b.eq(14, "share/"))
                    return Content::kSocial;
            }
            break;
        case 'd':
            if (avail > 46 && b.eq(0, "/dl/") && b.at(36) == '/' && b.at(45) == '/')
                return Content::kFlashvideo;
            if (pm("/dialog/oauth?api_key=")) return Content::kFacebook;
            break;
        case 'e':
            if (avail > 19 && b.eq(0, "/embed/")) {
                const uint8_t c = b.at(18);
                if ((c == ' ' || c == '&' || c == '?') && id11_at(b, 7)) {
                    take_id11(b, 7, yt);
                    return Content::kYoutubeSiteEmbed;
                }
            } else if (pm("/editapps.php") || pm("/editnote.php") ||
                       pm("/extern/login_status.php") || pm("/email_open_log_pic.php")) {
                return Content::kFacebook;
            } else if (pm("/e4/flv/")) {
                return Content::kFlashvideo;
            }
            break;
        case 'f':
            if (pm("/friends/")) return Content::kFacebook;
            if (pm("/friends.php") || pm("/feeds/notifications.php")) return Content::kFacebook;
            if (pm("/feeds/api/videos/")) {
                if (avail > 30 && id11_at(b, 18)) take_id11(b, 18, yt);
                return Content::kYoutubeSite;
            }
            if (pm("/feeds/api/users/") || pm("/feeds/base/")) return Content::kYoutubeSite;
            if (avail > 27 && b.eq(0, "/friends_online_list/")) {
                if (all_digits(b, 21, 27)) return Content::kSocial;
            } else if (avail > 20 && b.eq(0, "/friends_list/")) {
                if (all_digits(b, 14, 20)) return Content::kSocial;
            } else if (avail > 38 && b.eq(0, "/flv/")) {
                if (b.at(37) == '/') return Content::kFlashvideo;
            } else if (avail > 15 && b.eq(0, "/files/")) {
                bool status1 = false, status2 = false;
                int i = 7;
                while (i < avail) {
                    const uint8_t c = b.at(i);
                    if (c == '/') break;
                    if (!is_digit(c)) status1 = true;
                    if (!is_xdigit(c)) {
                        status2 = true;
                        break;
                    }
                    ++i;
                }
                if (i > 15 && !status2 && status1) return Content::kMegaupload;
                if (all_digits(b, 7, 15)) return Content::kRapidshare;
            }
            break;
        case 'g':
            if (pm("/generate_204?")) {
                youtube_progressive(b.match_buffer(900), yt);
                return Content::kYoutube204;
            }
            if (pm("/get_video_info?") || pm("/get_video?")) {
                std::string_view g;
                if (avail > 36 && param_video_id(b.match_buffer(195), g)) set(yt.id, g);
                return Content::kYoutubeSite;
            }
            if (pm("/group.php?") || pm("/groups.php?")) return Content::kFacebook;
            if (avail > 23 && b.eq(0, "/get/") && b.at(13) == '/') {
                bool ok = true;
                for (int i = 5; i < 13; ++i) ok = ok && is_alnum(b.at(i));
                if (ok) return b.at(22) == '/' ? Content::kHotfile : Content::kStorage;
            } else if (avail > 21 && b.eq(0, "/gadgets/")) {
                if (b.eq(9, "concat?") || b.eq(9, "ifr?") || b.eq(9, "js/rpc?") ||
                    b.eq(9, "makeRequest") || b.eq(9, "proxy?"))
                    return Content::kSocial;
            } else if (avail > 25 && b.eq(0, "/gallery/")) {
                bool slash = false, digit = false;
                uint8_t c = 0;
                for (int i = 9; i < 24; ++i) {
                    c = b.at(i);
                    if (c == '/') slash = true;
                    if (!is_digit(c) && c != '/') break;
                    digit = is_digit(c);
                }
                if (c == ' ' && digit && slash) return Content::kSocial;
            }
            break;
        case 'h':
            if (pm("/home.php?ref=")) return Content::kFacebook;
            if (pm("/hls_stream.ts?")) {
                youtube_live(b.match_buffer(900), 4, yt);
                return Content::kYoutubeVideo;
            }
            break;
        case 'i':
            if (avail > 31 && b.eq(0, "/i/")) {
                if (b.eq(26, "1.jpg")) return Content::kYoutubeSite;
            } else if (pm("/i/widget-logo.png")) {
                return Content::kTwitter;
            } else if (pm("/iframe/12?r=") || pm("/iframe/11?r=") || pm("/iframe/10?r=")) {
                return Content::kFacebook;
            }
            break;
        case 'j':
            if (pm("/js/api_lib/v0.4/")) return Content::kFacebook;
            if (pm("/j/2/") || pm("/j/1/")) return Content::kTwitter;
            break;
        case 'k':
            if (pm("/kh/v=")) return Content::kGmaps;
            break;
        case 'l':
            if (pm("/liveplay?")) {
                youtube_live(b.match_buffer(900), 5, yt);
                return Content::kYoutubeVideo;
            }
            break;
        case 'm':
            if (avail > 16 && b.eq(0, "/maps")) {
                if (b.eq(5, "/gen_") || b.eq(5, "/vp?") || b.eq(5, "/l?") || b.eq(5, "/trends?") ||
                    b.eq(5, "lt?lyrs=") || b.eq(5, "/api/") || b.eq(5, "lt/ft?lyrs="))
                    return Content::kGmaps;
            } else if (pm("/mapfiles/")) {
                return Content::kGmaps;
            } else if (pm("/might_know/listJSON/")) {
                return Content::kSocial;
            }
            break;
        case 'n':
            if (pm("/notifications.php")) return Content::kFacebook;
            if (pm("/new_messages_json/top/") || pm("/new_messages_get_mail/") || pm("/nktalk/"))
                return Content::kSocial;
            break;
        case 'o':
            if (avail > 19 && b.eq(0, "/online_list/")) {
                if (all_digits(b, 13, 19)) return Content::kSocial;
            } else if (avail > 14 && b.eq(0, "/object")) {
                bool ok = true;
                for (int i = 7; i < 14 && ok; ++i) ok = is_digit(b.at(i)) || b.at(i) == '/';
                if (ok) return Content::kFacebook;
            }
            break;
        case 'p':
            if (pm("/pagead/")) return Content::kAdv;
            if (pm("/pull?channel=") || pm("/photo.php?fbid=") || pm("/photo.php?pid=") ||
                pm("/photo_search.php?") || pm("/posted.php?") || pm("/profile.php?id=") ||
                pm("/pagelet/generic.php") || pm("/ping?partition=") || pm("/p?partition="))
                return Content::kFacebook;
            if (avail > 29 && b.eq(0, "/plugins/")) {
                for (std::string_view s :
                     {"activity.php?", "likebox.php?", "like_box.php?", "like.php?",
                      "login_button.php?", "subscribe.php?", "registration.php?", "facepile.php?",
                      "fan.php?", "send.php?", "share_button.php?", "comments.php?",
                      "recommendations.php?"})
                    if (b.eq(9, s)) return Content::kFacebook;
            } else if (avail > 24 && b.eq(0, "/profile_images/")) {
                if (all_digits(b, 16, 24)) return Content::kTwitter;
            } else if (avail > 22 && b.eq(0, "/pages/")) {
                for (std::string_view s : {"activity/", "application/", "community/", "image/",
                                           "listing/", "main/", "message/", "micrologin/", "misc/",
                                           "share/", "timeline/", "user/"})
                    if (b.eq(7, s)) return Content::kSocial;
            } else if (avail > 16 && b.eq(0, "/poczta/")) {
                if (is_digit(b.at(8))) return Content::kSocial;
                for (std::string_view s : {"choose", "compose", "inbox", "outbox", "null", "trash"})
                    if (b.eq(8, s)) return Content::kSocial;
            } else if (avail > 26 && b.eq(0, "/profile/")) {
                for (std::string_view s : {"edit ", "advanced", "black_list", "card", "gallery",
                                           "null", "preference", "privacy_settings", "ratings",
                                           "sledzik"})
                    if (b.eq(9, s)) return Content::kSocial;
            }
            break;
        case 'R':
            if (avail > 23 && b.eq(0, "/RealMedia/ads/")) {
                switch (b.at(15)) {
                    case 'a':
                        if (b.pm_at(15, "adstream")) return Content::kAdv;
                        break;
                    case 'C':
                        if (b.pm_at(15, "Creatives")) return Content::kAdv;
                        break;
                    case 'c':
                        if (b.pm_at(15, "cap.cgi") || b.pm_at(15, "click_lx.ads"))
                            return Content::kAdv;
                        break;
                    default:
                        break;
                }
            }
            break;
        case 'r':
            if (pm("/reqs.php?") || pm("/restserver.php") || pm("/rsrc.php/"))
                return Content::kFacebook;
            if (pm("/rest/person/")) return Content::kSocial;
            if (avail > 44 && b.eq(0, "/range/")) {
                int i = 7;
                while (i < 40 && (is_digit(b.at(i)) || b.at(i) == '-')) ++i;
                if (i < 40 && b.eq(i, "?o=A")) return Content::kNetflix;
            }
            break;
        case 's':
            if (pm("/subscribe?host_int=")) return Content::kDropbox;
            if (pm("/safe_image.php?d=") || pm("/s.php?") || pm("/static/v0.4/") ||
                pm("/stage.static/rsrc.php/") || pm("/static-ak/rsrc.php/"))
                return Content::kFacebook;
            if (pm("/search/pages/") || pm("/school/") || pm("/sledzik/") ||
                pm("/storage/gifts/") || pm("/storage/smileys/"))
                return Content::kSocial;
            if (pm("/style/") || pm("/script/")) {
                // a ':' followed by four hex digits and a space
                int i = pm("/style/") ? 7 : 8;
                bool colon = false;
                for (; i < avail - 5; ++i) {
                    if (b.at(i) == ':') {
                        colon = true;
                        break;
                    }
                }
                if (colon && is_xdigit(b.at(i + 1)) && is_xdigit(b.at(i + 2)) &&
                    is_xdigit(b.at(i + 3)) && is_xdigit(b.at(i + 4)) && b.at(i + 5) == ' ')
                    return Content::kSocial;
            }
            break;
        case 'u':
            if (avail > 33 && b.eq(0, "/u/") && b.eq(26, "watch_")) return Content::kYoutubeSite;
            break;
        case '?':
            if (avail > 5 && b.eq(0, "/?o=A")) return Content::kNetflix;
            break;
        case 'v':
            if (pm("/videoplayback?")) {
                youtube_progressive(b.match_buffer(900), yt);
                return Content::kYoutubeVideo;
            }
            if (pm("/videoplayback/")) {
                youtube_path(b.match_buffer(900), yt);
                return Content::kYoutubeVideo;
            }
            if (pm("/vimeo/v/")) return Content::kVimeo;
            if (pm("/videos/flv/")) return Content::kFlashvideo;
            if (pm("/vt/v=") || pm("/vt/lyrs=") || pm("/vt?lyrs=") || pm("/vt/ft?lyrs="))
                return Content::kGmaps;
            if (avail > 29 && b.eq(0, "/vi/")) {
                for (std::string_view s : {"default.jpg", "hqdefault.jpg", "mqdefault.jpg",
                                           "sddefault.jpg", "0.jpg", "1.jpg", "2.jpg", "3.jpg"})
                    if (b.eq(16, s)) return Content::kYoutubeSite;
            } else if (avail > 15 && b.eq(0, "/v/")) {
                const uint8_t c = b.at(14);
                if ((c == ' ' || c == '&' || c == '?') && id11_at(b, 3)) {
                    take_id11(b, 3, yt);
                    return Content::kYoutubeSiteEmbed;
                }
            } else if (avail > 16 && b.eq(8, "/flyers/")) {
                return Content::kFacebook;
            } else if (avail > 15 && b.eq(7, "/flyers/")) {
                return Content::kFacebook;
            } else if (avail > 12 && b.eq(0, "/v")) {
                bool ok = true;
                for (int i = 2; i < 12 && ok; ++i) ok = is_digit(b.at(i)) || b.at(i) == '/';
                if (ok) return Content::kSocial;
            }
            break;
        case 'w':
            if (pm("/w/index.php?title=") || pm("/wiki/") || pm("/wikipedia/"))
                return Content::kWiki;
            if (pm("/www/app_full_proxy.php?app=")) return Content::kFacebook;
            if (avail > 22 && b.eq(0, "/widgets/")) {
                if (b.eq(9, "comments.php?") || b.eq(9, "fan.php?") || b.eq(9, "like.php?"))
                    return Content::kFacebook;
                if (b.eq(9, "follow_button") || b.eq(9, "hub.") || b.eq(9, "images/f.gif?") ||
                    b.eq(9, "images/t.gif?") || b.eq(9, "tweet_button."))
                    return Content::kTwitter;
            } else if (avail > 48 && b.eq(0, "/widgets.js")) {
                if (b.eq(11, "?_=") || b.eq(22, "Host: platform.twitter.com"))
                    return Content::kTwitter;
            } else if (pm("/watch?v=")) {
                if (avail > 20 && id11_at(b, 9)) take_id11(b, 9, yt);
                return Content::kYoutubeSiteDirect;
            } else if (pm("/watch#!v=")) {
                if (avail > 21 && id11_at(b, 10)) take_id11(b, 10, yt);
                return Content::kYoutubeSiteDirect;
            } else if (pm("/watched_events ")) {
                return Content::kSocial;
            }
            break;
        case 'x':
            if (avail > 16 && b.eq(0, "/x/")) {
                auto digits_then_slash = [&](int& i, int limit) {
                    while (i < limit) {
                        const uint8_t c = b.at(i);
                        if (c == '/') return true;
                        if (!is_digit(c)) return false;
                        ++i;
                    }
                    return false;
                };
                int i = 3;
                if (digits_then_slash(i, 14)) {
                    if (b.pm_at(i, "/false/p_") || b.pm_at(i, "/true/p_")) return Content::kFacebook;
                    ++i;
                    if (digits_then_slash(i, 25) &&
                        (b.pm_at(i, "/false/p_") || b.pm_at(i, "/true/p_")))
                        return Content::kFacebook;
                }
            }
            break;
        case 'y':
            if (avail > 10 && b.eq(0, "/yt/")) {
                switch (b.at(4)) {
                    case 'c':
                        if (b.pm_at(4, "cssbin/")) return Content::kYoutubeSite;
                        break;
                    case 'f':
                        if (b.pm_at(4, "favicon")) return Content::kYoutubeSite;
                        break;
                    case 'i':
                        if (b.pm_at(4, "img/")) return Content::kYoutubeSite;
                        break;
                    case 'j':
                        if (b.pm_at(4, "js/") || b.pm_at(4, "jsbin/")) return Content::kYoutubeSite;
                        break;
                    case 's':
                        if (b.pm_at(4, "swf/")) return Content::kYoutubeSite;
                        break;
                    default:
                        break;
                }
            }
            break;
        case '_':
            if (pm("/_videos_t4vn") || pm("/_thumbs/")) return Content::kFlashvideo;
            break;
        case '4':
        case '0':
        case '1':
        case '2':
        case '3':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9': {
            // '4' falls through to '0', and both to '1', then to the shared digit rules.
            const uint8_t c1 = b.at(1);
            if (c1 == '4' && pm("/467f9bca32b1989")) return Content::kFlashvideo;
            if (c1 == '4' || c1 == '0') {
                if (avail > 12 && (b.eq(5, "/club/") || b.eq(5, "/user/"))) return Content::kSocial;
                if (avail > 15 && b.eq(5, "/listing/")) return Content::kSocial;
            }
            if ((c1 == '4' || c1 == '0' || c1 == '1') && b.at(2) == '/') {
                if (pm("/1/statuses/") || pm("/1/urls/count.json?") || pm("/1/users/show"))
                    return Content::kTwitter;
            }
            if (avail > 25) {
                if (!is_digit(b.at(2))) break;
                if (facebook_picture(b.match_buffer(30))) return Content::kFacebook;
                if (classify_flickr(b, avail) == Content::kFlickr) return Content::kFlickr;
                if (classify_vimeo(b) == Content::kVimeo) return Content::kVimeo;
                if (classify_social(b) == Content::kSocial) return Content::kSocial;
            }
            break;
        }
        default:
            break;
    }
    return tail_rules(b);
}

Content classify_post(const uint8_t* payload, int32_t data_length, YoutubeInfo&) {
    const Path b(payload, data_length, 5);
    const int32_t avail = b.avail();
    if (avail < 1) return Content::kPost;
    if (b.at(0) != '/') return Content::kPost;
    auto pm = [&](std::string_view lit) { return b.pm(lit); };
    switch (b.at(1)) {
        case 'a':
            if (pm("/ajax/presence/") || pm("/ajax/chat/") || pm("/ajax/"))
                return Content::kFacebook;
            if (pm("/accept/") && all_digits(b, 8, 13)) return Content::kSocial;
            break;
        case 'c':
            if (pm("/cgi-bin/rsapi.cgi")) return Content::kRapidshare;
            if (pm("/close/")) return Content::kRtmpt;
            if (pm("/current/flashservices/")) return Content::kFacebook;
            if (pm("/cbk?output=")) return Content::kGmaps;
            break;
        case 'C':
            if (pm("/CLOSE/")) return Content::kRtmpt;
            break;
        case 'f':
            if (pm("/fbml/") || pm("/flashservices/gateway.php")) return Content::kFacebook;
            if (avail > 15 && b.eq(0, "/files/") && all_digits(b, 7, 15))
                return Content::kRapidshare;
            break;
        case 'g':
            if (pm("/gateway/gateway.dll?Action=") || pm("/gateway/gateway.dll?SessionID="))
                return Content::kMsn;
            if (pm("/glm/mmap ")) return Content::kGmaps;
            if (pm("/gadgets/makeRequest ")) return Content::kSocial;
            break;
        case 'h':
            if (pm("/http-bind ")) return Content::kSocial;
            break;
        case 'i':
            if (pm("/idle/")) return Content::kRtmpt;
            if (pm("/invite/") && all_digits(b, 8, 13)) return Content::kSocial;
            break;
        case 'I':
            if (pm("/IDLE/")) return Content::kRtmpt;
            break;
        case 'm':
            if (pm("/might_know/unwanted/")) return Content::kSocial;
            break;
        case 'n':
            if (pm("/nktalk/")) return Content::kSocial;
            break;
        case 'o':
            if (pm("/open/")) return Content::kRtmpt;
            break;
        case 'O':
            if (pm("/OPEN/")) return Content::kRtmpt;
            break;
        case 'p':
            if (pm("/profile_ajax?action_ajax=")) return Content::kYoutubeSite;
            if (pm("/pins/friends ") || pm("/pins/get ") || pm("/poczta/")) return Content::kSocial;
            if (avail > 26 && b.eq(0, "/profile/")) {
                if (is_digit(b.at(9)) || b.eq(9, "privacy_settings") || b.eq(9, "edit ") ||
                    b.eq(9, "black_list"))
                    return Content::kSocial;
            } else if (avail > 22 && b.eq(0, "/pages/")) {
                for (std::string_view s : {"activity/", "application/", "community/", "image/",
                                           "listing/", "main/", "message/", "micrologin/", "misc/",
                                           "share/", "timeline/", "user/"})
                    if (b.eq(7, s)) return Content::kSocial;
            }
            break;
        case 'r':
            if (pm("/restserver.php")) return Content::kFacebook;
            if (pm("/reject/") || pm("/rendering_measurement")) return Content::kSocial;
            break;
        case 's':
            if (pm("/send/")) return Content::kRtmpt;
            if (pm("/social/rpc?st=") || pm("/sledzik/") || pm("/school/")) return Content::kSocial;
            if (pm("/search.json?")) return Content::kTwitter;
            break;
        case 'S':
            if (pm("/SEND/")) return Content::kRtmpt;
            break;
        case 'u':
            if (pm("/url_validator")) return Content::kSocial;
            break;
        case 'v':
            if (pm("/video_info_ajax?")) return Content::kYoutubeSite;
            break;
        case 'w':
            if (pm("/watched_events/")) return Content::kSocial;
            if (pm("/watch_actions_ajax?")) return Content::kYoutubeSite;
            break;
        default:
            break;
    }
    return Content::kPost;
}

BoundedString<16> id11_to_16(std::string_view id11) {
    static constexpr std::string_view kB64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static constexpr char kHex[] = "0123456789abcdef";
    if (id11.size() != 11) return BoundedString<16>(std::string_view("--"));
    auto val = [&](char c) {
        const size_t p = kB64.find(c);
        return p == std::string_view::npos ? 0 : static_cast<int>(p);
    };
    uint8_t b[16] = {};
    for (int i = 0, j = 0; i < 10; i += 2, j += 3) {
        const int p = val(id11[static_cast<size_t>(i)]);
        const int q = val(id11[static_cast<size_t>(i + 1)]);
        b[j] = static_cast<uint8_t>((p & 0x3f) >> 2);
        b[j + 1] = static_cast<uint8_t>((p & 0x03) << 2 | ((q & 0x3f) >> 4));
        b[j + 2] = static_cast<uint8_t>(q & 0x0f);
    }
    b[15] = static_cast<uint8_t>((val(id11[10]) & 0x3f) >> 2);
    char out[16];
    for (int i = 0; i < 16; ++i) out[i] = kHex[b[i]];
    return BoundedString<16>(std::string_view(out, 16));
}

BoundedString<11> id16_to_11(std::string_view id16) {
    static constexpr char kB64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (id16.size() != 16) return BoundedString<11>(std::string_view("--"));
    uint8_t b[16];
    for (int i = 0; i < 16; ++i) {
        const char c = id16[static_cast<size_t>(i)];
        b[i] = static_cast<uint8_t>(c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - '0');
    }
    uint8_t a[11];
    for (int i = 0, j = 0; i < 10; i += 2, j += 3) {
        a[i] = static_cast<uint8_t>(b[j] << 2 | b[j + 1] >> 2);
        a[i + 1] = static_cast<uint8_t>((b[j + 1] & 0x03) << 4 | b[j + 2]);
    }
    a[10] = static_cast<uint8_t>(b[15] << 2);
    char out[11];
    for (int i = 0; i < 11; ++i) out[i] = kB64[a[i] & 0x3f];
    return BoundedString<11>(std::string_view(out, 11));
}

}  // namespace tstat::classify::http
