# One target carries warnings and Qt hygiene defines; every ServeWatch target links it.
add_library(servewatch_options INTERFACE)

target_compile_options(servewatch_options INTERFACE
    -Wall -Wextra -Wpedantic
    -Wnon-virtual-dtor -Woverloaded-virtual -Wsuggest-override
    -Wcast-qual -Wformat=2 -Wimplicit-fallthrough
    $<$<BOOL:${SERVEWATCH_WERROR}>:-Werror>
)

target_compile_definitions(servewatch_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
)

if(SERVEWATCH_SANITIZE)
    target_compile_options(servewatch_options INTERFACE -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=undefined,float-cast-overflow)
    target_link_options(servewatch_options INTERFACE -fsanitize=address,undefined,float-cast-overflow)
endif()
