from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'posting.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_posting = resolve('posting')
    l_0_md_link = resolve('md_link')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['long_date']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'long_date' found.")
    pass
    yield '# '
    yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'title')))
    yield '\n\n**'
    yield str(environment.finalize(t_1(context.eval_ctx, environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'header'), ' · ')))
    yield '**\n'
    if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'employer_about'):
        pass
        yield '\n## About '
        yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'employer_name')))
        yield '\n\n'
        yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'employer_about')))
        yield '\n'
        if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'employer_website'):
            pass
            yield '\nLearn more at '
            yield str(environment.finalize(context.call((undefined(name='md_link') if l_0_md_link is missing else l_0_md_link), environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'employer_website'), environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'employer_website'))))
            yield '.\n'
    yield '\n## Position summary\n'
    for l_1_paragraph in environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'summary'):
        _loop_vars = {}
        pass
        yield '\n'
        yield str(environment.finalize(l_1_paragraph))
        yield '\n'
    l_1_paragraph = missing
    yield '\n## What you will do\n\n'
    for l_1_r in environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'responsibilities'):
        _loop_vars = {}
        pass
        yield '- **'
        yield str(environment.finalize(environment.getattr(l_1_r, 'name')))
        yield ':** '
        yield str(environment.finalize(environment.getattr(l_1_r, 'text')))
        yield '\n'
    l_1_r = missing
    if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'setting_duties'):
        pass
        yield '\n### '
        yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'setting_duties_heading')))
        yield '\n\n'
        for l_1_duty in environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'setting_duties'):
            _loop_vars = {}
            pass
            yield '- '
            yield str(environment.finalize(l_1_duty))
            yield '\n'
        l_1_duty = missing
    yield '\n## Qualifications\n\n'
    yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'qualifications_intro')))
    yield '\n\n### Required\n\n'
    for l_1_line in environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'required'):
        _loop_vars = {}
        pass
        yield '- '
        yield str(environment.finalize(l_1_line))
        yield '\n'
    l_1_line = missing
    if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'preferred'):
        pass
        yield '\n### Preferred\n\n'
        for l_1_line in environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'preferred'):
            _loop_vars = {}
            pass
            yield '- '
            yield str(environment.finalize(l_1_line))
            yield '\n'
        l_1_line = missing
    if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'qualifications_note'):
        pass
        yield '\n*'
        yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'qualifications_note')))
        yield '*\n'
    if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'skills'):
        pass
        yield '\n## Skills that matter\n\n'
        for l_1_s in environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'skills'):
            _loop_vars = {}
            pass
            yield '- **'
            yield str(environment.finalize(environment.getattr(l_1_s, 'name')))
            yield ':** '
            yield str(environment.finalize(environment.getattr(l_1_s, 'text')))
            yield '\n'
        l_1_s = missing
    yield '\n## Work environment\n\n'
    yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'environment')))
    yield '\n'
    if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'schedule'):
        pass
        yield '\n## Schedule\n\n'
        yield str(environment.finalize(t_1(context.eval_ctx, environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'schedule'), ' ')))
        yield '\n'
    if (environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'pay') or environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'benefits')):
        pass
        yield '\n## Compensation and benefits\n'
        if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'pay'):
            pass
            yield '\n**Pay:** '
            yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'pay')))
            yield '\n'
        if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'benefits'):
            pass
            yield '\n'
            for l_1_b in environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'benefits'):
                _loop_vars = {}
                pass
                yield '- '
                yield str(environment.finalize(l_1_b))
                yield '\n'
            l_1_b = missing
    if environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'growth'):
        pass
        yield '\n## Where this role can lead\n\n'
        for l_1_g in environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'growth'):
            _loop_vars = {}
            pass
            yield '- **'
            yield str(environment.finalize(environment.getattr(l_1_g, 'name')))
            yield ':** '
            yield str(environment.finalize(environment.getattr(l_1_g, 'text')))
            yield '\n'
        l_1_g = missing
    if (environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_url') or environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_email')):
        pass
        yield '\n## How to apply\n\n'
        if (environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_url') and environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_email')):
            pass
            yield 'Apply online at '
            yield str(environment.finalize(context.call((undefined(name='md_link') if l_0_md_link is missing else l_0_md_link), environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_url'), environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_url'))))
            yield ' or email '
            yield str(environment.finalize(context.call((undefined(name='md_link') if l_0_md_link is missing else l_0_md_link), environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_email'), str_join(('mailto:', environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_email'), )))))
            yield '.\n'
        elif environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_url'):
            pass
            yield 'Apply online at '
            yield str(environment.finalize(context.call((undefined(name='md_link') if l_0_md_link is missing else l_0_md_link), environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_url'), environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_url'))))
            yield '.\n'
        else:
            pass
            yield 'Email your application to '
            yield str(environment.finalize(context.call((undefined(name='md_link') if l_0_md_link is missing else l_0_md_link), environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_email'), str_join(('mailto:', environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'apply_email'), )))))
            yield '.\n'
        if environment.getattr(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'options'), 'requisition_id'):
            pass
            yield 'Please mention job ID '
            yield str(environment.finalize(environment.getattr(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'options'), 'requisition_id')))
            yield '.\n'
        if environment.getattr(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'options'), 'valid_through'):
            pass
            yield 'Applications close on '
            yield str(environment.finalize(t_2(environment.getattr(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'options'), 'valid_through'))))
            yield '.\n'
    yield '\n## Equal opportunity\n\n'
    yield str(environment.finalize(environment.getattr((undefined(name='posting') if l_0_posting is missing else l_0_posting), 'eeo_statement')))
    yield '\n'

blocks = {}
debug_info = '4=26&6=28&7=30&9=33&11=35&12=37&14=40&19=43&21=47&26=51&27=55&29=60&31=63&33=65&34=69&40=73&44=75&45=79&47=82&51=85&52=89&55=92&57=95&59=97&63=100&64=104&70=110&71=112&75=115&77=117&80=120&82=123&84=125&86=128&87=132&91=135&95=138&96=142&99=147&103=150&104=153&105=157&106=160&108=165&110=167&111=170&113=172&114=175&120=178'

# Generated by tools/build_caches.py from templates/posting.md.j2; do not edit.
TEMPLATE_SHA256 = '5b523b79dc7f3f3d87326868f21274883643191dfa1620cdb7aa64681e78759c'
JINJA2_VERSION = '3.1.6'
