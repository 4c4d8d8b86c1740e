# sources of core/presets
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/preset.cpp ${CMAKE_CURRENT_LIST_DIR}/preset.h
    ${CMAKE_CURRENT_LIST_DIR}/presetreader.cpp ${CMAKE_CURRENT_LIST_DIR}/presetreader.h
    ${CMAKE_CURRENT_LIST_DIR}/presetregistry.cpp ${CMAKE_CURRENT_LIST_DIR}/presetregistry.h
    ${CMAKE_CURRENT_LIST_DIR}/oipbody.cpp ${CMAKE_CURRENT_LIST_DIR}/oipbody.h
)

# The shipped presets (docs/PRESETS.md), embedded as :/presets/<file>.json. Like the knowledge
# base, the resource object library is linked into every target that links core.
qt_add_resources(servewatch_core "presets"
    PREFIX "/presets"
    BASE "${PROJECT_SOURCE_DIR}/resources/presets"
    FILES
        ${PROJECT_SOURCE_DIR}/resources/presets/generic.json
        ${PROJECT_SOURCE_DIR}/resources/presets/kserve.json
        ${PROJECT_SOURCE_DIR}/resources/presets/oip.json
        ${PROJECT_SOURCE_DIR}/resources/presets/tfserving.json
        ${PROJECT_SOURCE_DIR}/resources/presets/torchserve.json
        ${PROJECT_SOURCE_DIR}/resources/presets/openai.json
        ${PROJECT_SOURCE_DIR}/resources/presets/tgi.json
        ${PROJECT_SOURCE_DIR}/resources/presets/ollama.json
        ${PROJECT_SOURCE_DIR}/resources/presets/mlflow.json
        ${PROJECT_SOURCE_DIR}/resources/presets/bentoml.json
        ${PROJECT_SOURCE_DIR}/resources/presets/seldon.json
)
