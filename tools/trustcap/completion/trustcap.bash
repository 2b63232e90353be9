# bash completion for trustcap
_trustcap() {
    local cur prev words cword
    _init_completion || return

    local subcommand="" word
    for word in "${words[@]:1:cword-1}"; do
        case $word in live | epc) subcommand=$word ;; esac
    done

    case $prev in
        -r | --read | --ca-bundle | --keylog | -w | --write | -o | --output | --annotate)
            _filedir
            return ;;
        -i | --interface)
            if [[ $subcommand == live ]]; then _available_interfaces -a; fi
            return ;;
        --format)
            COMPREPLY=($(compgen -W "text json ndjson html" -- "$cur"))
            return ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return ;;
        -Z | --user)
            COMPREPLY=($(compgen -u -- "$cur"))
            return ;;
        --storage)
            COMPREPLY=($(compgen -W "flash bootflash usbflash0" -- "$cur"))
            return ;;
        --platform)
            COMPREPLY=($(compgen -W "9800-L 9800-40 9800-80 9800-CL C9200 C9300 C9400 C9500" -- "$cur"))
            return ;;
        --export-flow)  # N, then a file
            return ;;
        --filter | --server | --proxy | --port | --max-flows | --max-memory | -s | --snaplen | -B | --buffer-size | \
            --duration | -c | --count | --flow-timeout | -C | --file-size | -W | --file-count | --capture-name | \
            --file | --address | --idtoken | --copy-to | -j | --jobs | --width)
            return ;;
    esac

    local analysis="-r --read --filter --server --proxy --all-flows --ca-bundle --keylog --port --max-flows --max-memory
        --format --brief --full --width -o --output -Z --user --color --no-color"
    case $subcommand in
        live)
            COMPREPLY=($(compgen -W "-i --interface -s --snaplen -B --buffer-size --duration -c --count
                --until-verdict --flow-timeout -w --write -C --file-size -W --file-count $analysis -h --help" -- "$cur")) ;;
        epc)
            COMPREPLY=($(compgen -W "-i --interface --capture-name --file --storage --platform --address --idtoken
                --copy-to --proxy --server -h --help" -- "$cur")) ;;
        *)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$analysis -j --jobs --annotate --only-licensing --export-flow -h --help --version" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "live epc" -- "$cur"))
                _filedir '@(pcap|pcapng|cap|dmp|gz|zst)'
            fi ;;
    esac
} && complete -F _trustcap trustcap
