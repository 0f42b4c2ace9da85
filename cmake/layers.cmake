# The architecture's layers and the include arrows allowed between them. One
# table, read by two users: src/CMakeLists.txt (one library per layer, linked
# along these arrows) and check_layers.cmake (the build fails on an #include
# that goes against them). A layer is a folder under src/; `engine` is the
# engine-neutral contract (engine.h, request.h), `engines` the registry.
#
#   cli -> engines -> engine_postgres, engine_oracle -> engine -> verify -> core
#                                                   \-> dumpset -> store -> core
#   cli -> embedded (throwaway local servers for the demo and tests) -> engine_postgres's libpq helpers
#   The CLI reaches engines only through the registry (engines): their options,
#   the secrets in a connection string, make_engine; never an engine's headers.
set(DBCLONE_LAYER_core            "")
set(DBCLONE_LAYER_verify          "core")
set(DBCLONE_LAYER_store           "core")
set(DBCLONE_LAYER_dumpset         "core;store")
set(DBCLONE_LAYER_engine          "core;verify")
set(DBCLONE_LAYER_engine_postgres "core;verify;store;dumpset;engine")
set(DBCLONE_LAYER_engine_oracle   "core;verify;store;dumpset;engine")
set(DBCLONE_LAYER_engines         "core;engine;engine_postgres;engine_oracle")
set(DBCLONE_LAYER_embedded        "core;engine_postgres")
set(DBCLONE_LAYER_cli             "core;verify;engine;engines;embedded")
set(DBCLONE_LAYERS core verify store dumpset engine engine_postgres engine_oracle engines embedded cli)

# The layer a path relative to src/ belongs to ("" for main.cpp).
function(dbclone_layer_of path out)
  if(path MATCHES "^engine/postgres/")
    set(layer engine_postgres)
  elseif(path MATCHES "^engine/oracle/")
    set(layer engine_oracle)
  elseif(path STREQUAL "engine/engine_factory.cpp")
    set(layer engines)
  elseif(path MATCHES "^([a-z_]+)/")
    set(layer ${CMAKE_MATCH_1})
  else()
    set(layer "")
  endif()
  set(${out} "${layer}" PARENT_SCOPE)
endfunction()
