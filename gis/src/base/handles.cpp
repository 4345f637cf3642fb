#include "base/handles.hpp"

#include <cpl_error.h>

#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <string>
#include <unordered_map>

#include "onemap/gis/base/error.hpp"

namespace onemap::gis::detail {
namespace {

thread_local std::string tlsGeosError;

void geosMessage(const char* fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tlsGeosError = buf;
}

struct GeosContext {
    GEOSContextHandle_t handle = GEOS_init_r();
    GeosContext() {
        GEOSContext_setErrorHandler_r(handle, geosMessage);
        GEOSContext_setNoticeHandler_r(handle, nullptr);
    }
    ~GeosContext() { GEOS_finish_r(handle); }
};

// The thread's PROJ context and the CRS objects made on it, in one thread_local so
// the objects die before their context at thread exit (PROJ: a PJ belongs to one
// context, a context to one thread).
struct ProjContext {
    PJ_CONTEXT* ctx = proj_context_create();
    std::unordered_map<std::string, PjPtr> crs;                      // by definition text
    std::unordered_map<std::string, std::shared_ptr<void>> objects;  // holding PJs of ctx
    ProjContext() { proj_log_level(ctx, PJ_LOG_NONE); }
    ~ProjContext() {
        objects.clear();
        crs.clear();
        proj_context_destroy(ctx);
    }
};

ProjContext& projContext() {
    thread_local ProjContext ctx;
    return ctx;
}

thread_local std::string tlsGdalError;

void gdalHandler(CPLErr level, CPLErrorNum, const char* msg) {
    // Failures are reported through exceptions carrying this text; warnings are kept
    // for the same purpose instead of being printed to stderr.
    if (level >= CE_Warning) tlsGdalError = msg ? msg : "";
}

}  // namespace

GEOSContextHandle_t geos() {
    thread_local GeosContext ctx;
    return ctx.handle;
}

std::string takeGeosError() {
    std::string s;
    s.swap(tlsGeosError);
    return s;
}

PJ_CONTEXT* proj() { return projContext().ctx; }

std::shared_ptr<void>& threadProjObject(const std::string& key) {
    return projContext().objects[key];
}

PJ* crsObject(const std::string& definition) {
    ProjContext& c = projContext();
    auto& slot = c.crs[definition];
    if (!slot) {
        slot.reset(proj_create(c.ctx, definition.c_str()));
        if (!slot) {
            c.crs.erase(definition);
            throw Error("PROJ cannot rebuild CRS '" + definition.substr(0, 60) +
                        "' on this thread");
        }
    }
    return slot.get();
}

void initGdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(gdalHandler);
        // GeoPackages are stamped with the current time unless told otherwise; keep
        // whatever the caller set (the sample generator fixes it for reproducibility).
    });
}

std::string gdalError(const char* fallback) {
    std::string msg = CPLGetLastErrorMsg();
    if (msg.empty()) msg = tlsGdalError;
    CPLErrorReset();
    tlsGdalError.clear();
    return msg.empty() ? std::string(fallback) : msg;
}

GdalErrorCapture::GdalErrorCapture() { CPLPushErrorHandlerEx(handle, this); }

GdalErrorCapture::~GdalErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL GdalErrorCapture::handle(CPLErr level, CPLErrorNum, const char* msg) {
    auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
    const std::string text = msg ? msg : "";
    if (level >= CE_Warning) tlsGdalError = text;
    if (!self || !self->failure_.empty()) return;
    bool damaged = level >= CE_Failure;
    if (level == CE_Warning) {
        std::string lowerText = text;
        for (auto& c : lowerText)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const char* word : {"malformed", "corrupt", "truncat", "damaged", "short read"})
            if (lowerText.find(word) != std::string::npos) damaged = true;
    }
    if (damaged) self->failure_ = text.empty() ? std::string("unknown GDAL error") : text;
}

GeosGeomPtr checked(GEOSGeometry* g, const char* what) {
    if (!g)
        throw Error(std::string("geometry operation failed (") + what + "): " + takeGeosError());
    return GeosGeomPtr(g);
}

}  // namespace onemap::gis::detail
