# Fetches tree-sitter grammars from the npm registry at configure time and compiles their
# generated parsers. Nothing third-party is committed: the tarballs land in the build tree.
# Both grammars ship src/parser.c (+ src/scanner.c) with language ABI 14, which Debian's
# libtree-sitter 0.20.7 accepts: tree-sitter-python@0.23.6 and tree-sitter-javascript@0.23.1.
#
# Where the tarball comes from, first match wins:
#   1. already unpacked in the build tree (a reconfigure never touches the network);
#   2. CONCLAVE_GRAMMAR_CACHE/<name>-<version>.tgz (a -D option, or the environment variable of
#      that name on the first configure; offline builds: fill the folder once with
#      `npm pack <name>@<version>`);
#   3. `npm pack --prefer-offline`, which reads npm's own cache (~/.npm) before the registry,
#      so a clean clone on CI builds with the network or with a warm npm cache.
# Every tarball is checked against its pinned SHA-256 before it is unpacked.

set(CONCLAVE_GRAMMAR_DIR ${CMAKE_BINARY_DIR}/_deps/grammars)
set(CONCLAVE_GRAMMAR_CACHE "$ENV{CONCLAVE_GRAMMAR_CACHE}" CACHE PATH
    "Folder of grammar tarballs (<name>-<version>.tgz) used instead of the npm registry")

# Puts ${NAME}-${VERSION}.tgz into `dest`, from the cache folder or from npm.
function(conclave_download_grammar NAME VERSION dest)
  set(tarball ${NAME}-${VERSION}.tgz)
  if(CONCLAVE_GRAMMAR_CACHE AND EXISTS ${CONCLAVE_GRAMMAR_CACHE}/${tarball})
    message(STATUS "Using ${CONCLAVE_GRAMMAR_CACHE}/${tarball}")
    file(COPY ${CONCLAVE_GRAMMAR_CACHE}/${tarball} DESTINATION ${dest})
    return()
  endif()
  find_program(NPM_PROGRAM npm)
  if(NOT NPM_PROGRAM)
    message(FATAL_ERROR "${NAME}@${VERSION}: npm not found and no ${tarball} in "
                        "CONCLAVE_GRAMMAR_CACHE ('${CONCLAVE_GRAMMAR_CACHE}')")
  endif()
  message(STATUS "Fetching ${NAME}@${VERSION} from the npm registry")
  execute_process(
    COMMAND ${NPM_PROGRAM} pack ${NAME}@${VERSION} --prefer-offline --silent
    WORKING_DIRECTORY ${dest} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR NOT EXISTS ${dest}/${tarball})
    message(FATAL_ERROR "npm pack ${NAME}@${VERSION} failed (${rc}): ${err}\n"
                        "Offline? Put ${tarball} in a folder and pass -DCONCLAVE_GRAMMAR_CACHE=it")
  endif()
endfunction()

function(conclave_fetch_grammar NAME VERSION SHA256)
  set(dest ${CONCLAVE_GRAMMAR_DIR}/${NAME}-${VERSION})
  if(NOT EXISTS ${dest}/package/src/parser.c)
    file(MAKE_DIRECTORY ${dest})
    set(tarball ${dest}/${NAME}-${VERSION}.tgz)
    if(NOT EXISTS ${tarball})
      conclave_download_grammar(${NAME} ${VERSION} ${dest})
    endif()
    file(SHA256 ${tarball} actual)
    if(NOT actual STREQUAL SHA256)
      file(REMOVE ${tarball})
      message(FATAL_ERROR "${NAME}@${VERSION}: tarball SHA-256 ${actual}, expected ${SHA256}")
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E tar xzf ${tarball}
                    WORKING_DIRECTORY ${dest} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0 OR NOT EXISTS ${dest}/package/src/parser.c)
      message(FATAL_ERROR "${NAME}@${VERSION}: no src/parser.c in the package")
    endif()
  endif()
  set(srcs ${dest}/package/src/parser.c)
  if(EXISTS ${dest}/package/src/scanner.c)
    list(APPEND srcs ${dest}/package/src/scanner.c)
  endif()
  string(REPLACE "-" "_" target ${NAME})
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PRIVATE ${dest}/package/src)
  target_compile_options(${target} PRIVATE -w)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

conclave_fetch_grammar(tree-sitter-python 0.23.6
  aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a)
conclave_fetch_grammar(tree-sitter-javascript 0.23.1
  90e80b25a67517a4daf6ad751557bee21efbda7b7a5a554897933245d1734398)
