# bash completion for odrescue: commands, positions, /dev/sr* nodes, each
# command's options and each backend's parameters (both as the odrescue
# being completed lists them in --help and -p help), .bin/.hex images.
_odrescue()
{
	# Whole words as typed: bash splits "-p sim:scenario=x" at ':' and '='.
	local line=${COMP_LINE:0:COMP_POINT} cur prev words cword
	read -ra words <<<"$line"
	[[ $line == *[[:space:]] || -z $line ]] && words+=("")
	cword=$((${#words[@]} - 1))
	cur=${words[cword]}
	prev=${words[cword - 1]}
	local bin=${words[0]}
	local positions="1 2 3 4 pm ps sm ss m s"

	case $prev in
	-p | --backend)
		_odrescue_reply "$(_odrescue_backend "$bin" "$cur")"
		return ;;
	--method)
		COMPREPLY=($(compgen -W "mtk wbuf" -- "$cur"))
		return ;;
	--backup | --log)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--timeout | --read-repeated | --chunk | --keep)
		return ;;
	esac

	# The command, then its arguments: POS, then FILE.
	local cmd="" nargs=0 i skip=0
	for ((i = 1; i < cword; i++)); do
		if ((skip)); then skip=0; continue; fi
		case ${words[i]} in
		-p | --backend | --method | --backup | --timeout | --read-repeated | --chunk | --keep | --log) skip=1 ;;
		-*) ;;
		*) if [[ -z $cmd ]]; then cmd=${words[i]}; else nargs=$((nargs + 1)); fi ;;
		esac
	done
	if [[ $cur == -* ]]; then
		# the options that command's --help lists (odrescue --help: those of every command)
		local opts
		opts=$("$bin" ${cmd:+"$cmd"} --help 2>/dev/null | sed -n 's/^  \(-[a-zA-Z], \|    \)\(--[a-z-]*\).*/\2/p')
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$("$bin" --help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p') $positions" -- "$cur"))
		return
	fi
	case $cmd in
	info)
		COMPREPLY=($(compgen -f -X '!*.@(bin|BIN|hex|HEX)' -o plusdirs -- "$cur")) ;;
	scan) ;;
	[1-4])	# the old syntax: odrescue 3 w fw.hex
		if ((nargs == 0)); then
			COMPREPLY=($(compgen -W "w r" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	*)
		if ((nargs == 0)); then
			COMPREPLY=($(compgen -W "$positions $(compgen -G '/dev/sr*' 2>/dev/null) $(compgen -G '/dev/sg*' 2>/dev/null)" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	esac
}

# -p values: backends, then NAME:key= and NAME:k=v,key= from odrescue -p help.
_odrescue_backend()
{
	local bin=$1 cur=$2 name=${2%%:*}
	if [[ $cur != *:* ]]; then
		"$bin" -p help 2>/dev/null | sed -n 's/^  \([a-z0-9]*\).*/\1/p'
		echo help
		return
	fi
	local head=${cur%,*}
	[[ $head == "$cur" ]] && head=${cur%%:*}: || head=$head,
	"$bin" -p help 2>/dev/null | awk -v b="$name" -v h="$head" '
		/^  [a-z]/ { cur = $1 }
		/^    [a-z_0-9]+=/ && cur == b { split($1, kv, "="); print h kv[1] "=" }'
}

# Offer the words; bash replaces only what follows the last ':' or '=' in the
# word being completed, so that part is all each reply may hold.
_odrescue_reply()
{
	local w cut=${cur%[:=]*}
	[[ $cut == "$cur" ]] && cut="" || cut=${cur:0:${#cut}+1}
	COMPREPLY=()
	for w in $(compgen -W "$1" -- "$cur"); do
		COMPREPLY+=("${w#"$cut"}")
	done
}
complete -F _odrescue odrescue
